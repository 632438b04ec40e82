export * from './fake-server.js';
export * from './scripted-reply.js';
export * from './provider-conformance.js';
