// One Lambda with the project's defaults: local esbuild bundle, Node 24 on ARM, JSON logs into its own
// log group with retention, X-Ray, and a role that starts empty (grants are added by whoever uses it).
import * as path from 'node:path';
import { type Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambdas/shared/names';
import type { StackConfig } from '../config';

export const PROJECT_ROOT = path.join(__dirname, '..', '..');
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** esbuild's target for the runtime above (`nodejs24.x` → `node24`): the bundle keeps what that Node runs. */
export const ESBUILD_TARGET = LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1');
/** ES builds first (`module`), so esbuild can tree-shake the SDK; CommonJS (`main`) where there is none. */
export const MAIN_FIELDS = ['module', 'main'];
/**
 * The credential sources the SDK's default chain loads with `import()` only after the environment's failed.
 * Lambda always puts the function role's credentials in the environment, so they are never loaded there and
 * stay out of the bundle (with what they pull in, about 115 KiB: the room the tracer takes). Were one ever
 * loaded, Node would resolve it from the SDK the Lambda runtime ships.
 */
export const UNUSED_CREDENTIAL_SOURCES = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64;

export interface AppFunctionProps {
  /** Handler file under lambdas/handlers, without extension. */
  readonly handler: 'planner' | 'worker' | 'api';
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly config: StackConfig;
  readonly onFailure?: lambda.IDestination;
  readonly retryAttempts?: number;
  readonly maxEventAge?: Duration;
}

export class AppFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.removalPolicy,
    });

    // Own role instead of AWSLambdaBasicExecutionRole: logging is granted on this function's log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.handler} function of ${SERVICE_NAME} (${config.stage})`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, 'lambdas', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[config.logLevel],
      tracing: lambda.Tracing.ACTIVE,
      onFailure: props.onFailure,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
      },
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: ESBUILD_TARGET,
        mainFields: MAIN_FIELDS,
        // The SDK is bundled so production runs the versions the lockfile pins and the tests exercised.
        bundleAwsSDK: true,
        externalModules: UNUSED_CREDENTIAL_SOURCES,
        format: nodejs.OutputFormat.CJS,
      },
    });

    // X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level permissions.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords only accept Resource "*".',
    });
  }
}
