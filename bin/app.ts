// CDK app: validates the stage configuration, builds the stack and runs the cdk-nag packs on it.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { SERVICE_NAME, stackNameOf } from '../lambdas/shared/names';
import { ConfigError, loadConfig, type StackConfig } from '../lib/config';
import { GradientBillingSyncStack } from '../lib/gradient-billing-sync-stack';

const app = new App();

let config: StackConfig;
try {
  config = loadConfig(app.node);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // A configuration mistake is the operator's to fix: the message, not a stack trace.
  console.error(error.message);
  process.exit(1);
}

new GradientBillingSyncStack(app, stackNameOf(config.stage), {
  config,
  description: `${SERVICE_NAME} (${config.stage}): nightly usage sync to Gradient MSP`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// Any unacknowledged finding stops synthesis; acknowledgements live next to the resources they concern.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
