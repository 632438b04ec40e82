import { createInterface, type Interface } from 'node:readline';
import { Command } from 'commander';
import { AbortError, LLMError, messageText, routeModel, type HistoryStore, type LLM } from '@llm/core';
import { writeOut, type CliIO } from '../cli-io.js';
import { addCacheOption, addModelOptions, createLLM, type ModelFlags } from '../model-options.js';
import { createTextSink } from '../text-output.js';
import { usageLine } from '../usage-line.js';

interface ChatFlags extends ModelFlags {
  history?: string;
  session: string;
}

/** The user id chat histories are stored under (one person at one terminal). */
export const CHAT_USER_ID = 'cli';

const HELP = `Commands:
  /model NAME   answer with another model from now on (/model alone shows the current one)
  /clear        forget the conversation (also in the --history file)
  /history      show the conversation so far
  /exit         end the chat (Ctrl-D works too)
`;

/** State of one chat session. */
interface ChatState {
  llm: LLM;
  store?: HistoryStore;
  model: string;
  turns: number;
  failures: number;
}

async function openHistory(path: string, sessionId: string): Promise<HistoryStore> {
  const { SqliteHistoryStore } = await import('@llm/history-sqlite');
  return new SqliteHistoryStore({ path, userId: CHAT_USER_ID, sessionId });
}

/** Runs a `/command`; returns true when the chat should end. */
async function slashCommand(line: string, state: ChatState, io: CliIO): Promise<boolean> {
  const [name, ...rest] = line.slice(1).split(/\s+/);
  const arg = rest.join(' ').trim();
  const say = (text: string) => writeOut(io.stdout, `${text}\n`);
  switch (name) {
    case 'exit':
    case 'quit':
      return true;
    case 'clear':
      state.llm.clear();
      if (state.store) await state.store.clear();
      await say('(conversation cleared)');
      return false;
    case 'model':
      if (arg) {
        routeModel(arg);
        state.model = arg;
      }
      await say(`(model: ${state.model})`);
      return false;
    case 'history':
      for (const message of state.llm.history) await say(`${message.role}: ${messageText(message)}`);
      if (!state.llm.history.length) await say('(no messages yet)');
      return false;
    case 'help':
      await writeOut(io.stdout, HELP);
      return false;
    default:
      await say(`(unknown command /${name}; /help lists the commands)`);
      return false;
  }
}

async function answer(line: string, state: ChatState, signal: AbortSignal, io: CliIO): Promise<void> {
  const sink = await createTextSink(io.stdout);
  const options = { signal, ...(state.model !== state.llm.model ? { model: state.model } : {}) };
  try {
    for await (const chunk of state.llm.stream(line, options)) if (chunk.type === 'text') await sink.write(chunk.text);
  } finally {
    await sink.end();
  }
  state.turns++;
}

function readLines(io: CliIO, tty: boolean): Interface {
  return createInterface({ input: io.stdin, output: tty ? io.stdout : undefined, terminal: tty, historySize: tty ? 500 : 0, prompt: '> ' });
}

async function runChat(flags: ChatFlags, io: CliIO): Promise<void> {
  const store = flags.history ? await openHistory(flags.history, flags.session) : undefined;
  const llm = await createLLM(flags, io, { historyBackup: store });
  await llm.ready();
  const state: ChatState = { llm, store, model: llm.model, turns: 0, failures: 0 };
  const tty = !!io.stdin.isTTY && !!io.stdout.isTTY;
  const restored = llm.history.length;
  if (restored) await writeOut(io.stderr, `(restored ${restored} messages from ${flags.history}, session ${flags.session})\n`);
  if (tty) await writeOut(io.stderr, `Chatting with ${state.model}. /help lists the commands, /exit or Ctrl-D ends.\n`);
  const rl = readLines(io, tty);
  let current: AbortController | undefined;
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    current?.abort();
    rl.close();
  };
  // In a terminal readline turns Ctrl-C into this event: it stops the answer being written, or ends the chat.
  rl.on('SIGINT', () => (current ? current.abort() : stop()));
  io.signal.addEventListener('abort', stop, { once: true });
  try {
    if (tty) rl.prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (line.startsWith('/')) {
        try {
          if (await slashCommand(line, state, io)) break;
        } catch (error) {
          await writeOut(io.stderr, `error: ${(error as Error).message}\n`);
        }
      } else if (line) {
        current = new AbortController();
        try {
          await answer(line, state, AbortSignal.any([current.signal, io.signal]), io);
        } catch (error) {
          if (interrupted) break;
          if (AbortError.isInstance(error)) await writeOut(io.stderr, '(answer stopped)\n');
          else {
            state.failures++;
            await writeOut(io.stderr, `error: ${(error as Error).message}\n`);
          }
        } finally {
          current = undefined;
        }
      }
      if (tty) rl.prompt();
    }
  } finally {
    rl.close();
    io.signal.removeEventListener('abort', stop);
    const usage = llm.usage;
    await writeOut(io.stderr, `chat ended: ${state.turns} ${state.turns === 1 ? 'turn' : 'turns'} · ${usageLine(usage, usage.costUsd ?? 0)}\n`);
    await store?.close?.();
  }
  if (interrupted) throw new AbortError('The chat was interrupted.');
  if (state.failures) throw new LLMError(`${state.failures} of ${state.failures + state.turns} messages got no answer.`);
}

/** `llm chat`: a conversation in the terminal (or driven through stdin), optionally kept in a SQLite file. */
export function chatCommand(io: CliIO): Command {
  const command = new Command('chat').description('Chat with a model: a REPL with history, /model, /clear, /history, /exit; cost totals at the end.');
  addCacheOption(addModelOptions(command))
    .option('--history <file>', 'keep the conversation in this SQLite file and continue it next time')
    .option('--session <id>', 'which conversation of the --history file', 'default')
    .addHelpText('after', '\nExamples:\n  llm chat --model gpt-4o-mini --history ~/.llm-chat.sqlite\n  printf "안녕\\n/exit\\n" | llm chat')
    .action((flags: ChatFlags) => runChat(flags, io));
  return command;
}
