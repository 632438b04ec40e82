import { Command } from 'commander';
import { writeOut, type CliIO } from '../cli-io.js';
import { addModelOptions, createLLM, type ModelFlags } from '../model-options.js';
import { positiveInteger } from '../option-parsers.js';
import { createTextSink } from '../text-output.js';

interface DescribeFlags extends ModelFlags {
  prompt?: string;
  parallel: number;
  json?: boolean;
}

/** `llm describe IMAGE...`: describes images with a vision model, several at once. */
export function describeCommand(io: CliIO): Command {
  const command = new Command('describe')
    .description('Describe images with a vision model (several in parallel, printed in the order given).')
    .argument('<images...>', 'image files or http(s) URLs');
  addModelOptions(command)
    .option('-p, --prompt <text>', 'what to ask about each image', 'Describe this image in detail.')
    .option('--parallel <n>', 'images described at once', positiveInteger, 4)
    .option('--json', 'print [{ image, text, usage, ... }] as JSON')
    .addHelpText('after', '\nExamples:\n  llm describe photo.jpg --model gpt-4o-mini\n  llm describe *.png --prompt "이 이미지에 있는 글자를 읽어주세요"')
    .action(async (images: string[], flags: DescribeFlags) => {
      const llm = await createLLM(flags, io);
      const replies = await llm.describeImages(images, { prompt: flags.prompt, maxParallel: flags.parallel, signal: io.signal });
      if (flags.json) {
        await writeOut(io.stdout, `${JSON.stringify(replies.map((reply, i) => ({ image: images[i], ...reply.toJSON() })), null, 2)}\n`);
        return;
      }
      const sink = await createTextSink(io.stdout);
      for (const [i, reply] of replies.entries()) {
        await sink.write(images.length > 1 ? `## ${images[i]}\n\n${reply.text}\n\n` : reply.text);
        if (images.length > 1) await sink.end();
      }
      await sink.end();
    });
  return command;
}
