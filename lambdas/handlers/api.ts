// Placeholder until the api handler lands; keeps CDK bundling paths stable.
export const handler = async (): Promise<void> => {
  throw new Error('api handler not implemented yet');
};
