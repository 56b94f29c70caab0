export * from './result.ts';
export * from './domain.ts';
