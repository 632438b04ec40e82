export function packPackages(names: string[], outDir?: string): Record<string, string>;
export function installApp(tarballs: Record<string, string>, options?: { appDir?: string }): string;
export function folderBytes(dir: string): number;
