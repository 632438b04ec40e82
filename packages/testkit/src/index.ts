export * from './fake-server.js';
export * from './scripted-reply.js';
export * from './provider-conformance.js';
export * from './history-conformance.js';
export * from './fake-servers/openai.js';
export * from './fake-servers/anthropic.js';
export * from './fake-servers/google.js';
export * from './fake-servers/ollama.js';
