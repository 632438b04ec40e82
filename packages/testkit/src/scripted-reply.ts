/** A reply a fake provider server (or the mock model) is told to give next. */
export interface ScriptedReply {
  /** The answer text. Streamed in pieces (`chunks` when given, otherwise split into a few deltas). */
  text?: string;
  /** Explicit stream deltas; their concatenation is the text. */
  chunks?: string[];
  /** Tool calls the model asks for. `arguments` is an object (serialized by the fake server). */
  toolCalls?: { id?: string; name: string; arguments: unknown }[];
  usage?: { input: number; output: number; cachedInput?: number; reasoning?: number };
  /** The API's finish reason in core's vocabulary; the fake server maps it to the wire value. */
  finishReason?: 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'refusal';
  /** The model id the server reports. */
  model?: string;
}
