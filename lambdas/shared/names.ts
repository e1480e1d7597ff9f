// Names shared by the Lambdas, the local stack and the CDK stack (lib/ imports this file too), each declared
// once. Tunables and their bounds are in settings.ts.

/** The Powertools service name, the `service` metric dimension and the `app` tag on partner secrets. */
export const SERVICE_NAME = 'gradient-billing-sync';

/** What Secrets Manager accepts as a secret name: letters, digits and `/_+=.@-`, at most 512 characters. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** The CloudWatch namespace of the EMF metrics every Lambda emits. */
export const METRICS_NAMESPACE = 'GradientBillingSync';

/** The CloudFormation stack of a stage (bin/app.ts): what the CLI's `--stack` defaults to, the alarms' prefix. */
export const stackNameOf = (stage: string): string => `GradientBillingSync-${stage}`;
