// Placeholder until the planner handler lands; keeps CDK bundling paths stable.
export const handler = async (): Promise<void> => {
  throw new Error('planner handler not implemented yet');
};
