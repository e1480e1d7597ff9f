// Placeholder until the worker handler lands; keeps CDK bundling paths stable.
export const handler = async (): Promise<void> => {
  throw new Error('worker handler not implemented yet');
};
