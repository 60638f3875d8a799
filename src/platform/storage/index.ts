/** File storage (uploads): the interface, the local-disk default and an in-memory store for tests. */
export * from './storage.js';
export { createLocalDiskStorage } from './local-disk-storage.js';
export { createMemoryStorage, type MemoryStorage } from './memory-storage.js';
