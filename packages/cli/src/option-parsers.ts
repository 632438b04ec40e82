import { InvalidArgumentError } from 'commander';

/** Commander parser: a number within [min, max]. Bad values exit with code 2 and say the range. */
export function numberInRange(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max) {
      throw new InvalidArgumentError(`Give a number from ${min} to ${max}.`);
    }
    return number;
  };
}

/** Commander parser: a whole number of at least 1. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError('Give a whole number of at least 1.');
  }
  return number;
}

/** Commander parser: a TCP port (0 picks a free one). */
export function port(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number > 65535) throw new InvalidArgumentError('Give a port from 0 to 65535.');
  return number;
}

/** Commander parser for repeatable options: `--file a --file b` → ['a', 'b']. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Commander parser: `a,b,c` → ['a', 'b', 'c'] (trimmed, empties dropped); at least two. */
export function commaList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length < 2) throw new InvalidArgumentError('Give at least two comma-separated choices, e.g. --choices 긍정,부정,중립');
  return items;
}
