// The HTTP API: API Gateway REST API (IAM/SigV4 on every method, throttled, JSON access logs) in front
// of the api Lambda (proxy integration), which manages partner secrets and the tables lib/access.ts names.
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAME } from '../../lambdas/shared/names';
import { FUNCTION_ACCESS } from '../access';
import type { StackConfig } from '../config';
import { grantAccess } from './access';
import { addRoutes, type RouteKey } from './api-routes';
import type { DataTables } from './data';
import { AppFunction } from './functions';
import type { Secrets } from './secrets';

/** Routes that call Gradient from the API, outside the worker's rate budget: they get their own method throttle. */
export const GRADIENT_ROUTES: readonly RouteKey[] = [
  'PUT /v1/partners/{partnerId}/connection',
  'DELETE /v1/partners/{partnerId}/connection',
  'POST /v1/partners/{partnerId}/connection/test',
  'POST /v1/partners/{partnerId}/mappings/sync',
];

/**
 * Who may invoke: the console backend role(s), every other principal denied (by `aws:PrincipalArn`, which is the
 * role's ARN for any of its sessions and needs no principal to exist at deploy time). Without roles (dev stages
 * only, lib/config.ts) the account's principals that IAM allows, other accounts denied. IAM auth stays on every
 * method either way: each request is SigV4-signed by an authenticated principal.
 */
function invokePolicy(roleArns: readonly string[]): iam.PolicyDocument {
  const invoke = { actions: ['execute-api:Invoke'], resources: ['execute-api:/*'] };
  const anyone = [new iam.AnyPrincipal()];
  const statements =
    roleArns.length > 0
      ? [
          new iam.PolicyStatement({
            ...invoke,
            principals: anyone,
            conditions: { ArnEquals: { 'aws:PrincipalArn': [...roleArns] } },
          }),
          new iam.PolicyStatement({
            ...invoke,
            effect: iam.Effect.DENY,
            principals: anyone,
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...roleArns] } },
          }),
        ]
      : [
          new iam.PolicyStatement({ ...invoke, principals: [new iam.AccountRootPrincipal()] }),
          new iam.PolicyStatement({
            ...invoke,
            effect: iam.Effect.DENY,
            principals: anyone,
            conditions: { StringNotEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
          }),
        ];
  return new iam.PolicyDocument({ statements });
}

/** One JSON line per request: who (the caller's ARN), which route and path (so which partner), how it ended. */
function accessLogFormat(): apigw.AccessLogFormat {
  const f = apigw.AccessLogField;
  return apigw.AccessLogFormat.custom(
    JSON.stringify({
      requestId: f.contextRequestId(),
      requestTime: f.contextRequestTime(),
      ip: f.contextIdentitySourceIp(),
      caller: f.contextIdentityCaller(),
      user: f.contextIdentityUser(),
      userArn: f.contextIdentityUserArn(),
      httpMethod: f.contextHttpMethod(),
      resourcePath: f.contextResourcePath(),
      path: f.contextPath(),
      protocol: f.contextProtocol(),
      status: f.contextStatus(),
      responseLength: f.contextResponseLength(),
      responseLatency: f.contextResponseLatency(),
      integrationLatency: f.contextIntegrationLatency(),
      integrationStatus: f.contextIntegrationStatus(),
      // API Gateway's own message (e.g. "Forbidden", "Endpoint request timed out"), or "-" when there was none.
      errorMessage: f.contextErrorMessage(),
      integrationError: f.contextIntegrationErrorMessage(),
    }),
  );
}

export interface ApiProps {
  readonly config: StackConfig;
  readonly data: DataTables;
  readonly secrets: Secrets;
  readonly queue: sqs.IQueue;
  readonly environment: Record<string, string>;
}

export class Api extends Construct {
  readonly handler: AppFunction;
  readonly restApi: apigw.RestApi;
  /** The stage root, without a trailing slash: every path of the API (`/v1/…`, `/openapi.json`) appends to it. */
  readonly url: string;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config, data, secrets, queue } = props;
    const { removalPolicy } = config;
    const retention = config.logRetentionDays as logs.RetentionDays;

    this.handler = new AppFunction(this, 'Handler', {
      handler: 'api',
      description: 'HTTP API v1: connection, mappings, usage, resync, runs',
      memorySize: 1024,
      // API Gateway gives up after 29 s; the function must finish (or fail) before that.
      timeout: Duration.seconds(28),
      environment: {
        ...props.environment,
        QUEUE_URL: queue.queueUrl,
        // How far back a manual resync may reach, in closed periods (the API refuses older ones).
        RESYNC_MAX_CLOSED_PERIODS: String(config.resyncMaxClosedPeriods),
      },
      config,
    });
    grantAccess(this.handler, FUNCTION_ACCESS.api, { data, secrets, workQueue: queue });
    Validations.of(this.handler.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously by API Gateway only; the caller receives every error, nothing is queued.',
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention, removalPolicy });

    const throttle = {
      throttlingRateLimit: config.connectionThrottleRateLimit,
      throttlingBurstLimit: config.connectionThrottleBurstLimit,
    };
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: `${SERVICE_NAME}-${config.stage}`,
      description: `${SERVICE_NAME} HTTP API (SigV4)`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: config.apiGatewayCloudWatchRole,
      // The role is account-wide (other APIs log through it too): deleting this stack must not remove it.
      ...(config.apiGatewayCloudWatchRole && { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN }),
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      policy: invokePolicy(config.consoleBackendRoleArns),
      deployOptions: {
        stageName: config.stage,
        throttlingRateLimit: config.apiThrottleRateLimit,
        throttlingBurstLimit: config.apiThrottleBurstLimit,
        // Gradient calls outside the worker's budget: each such route gets its own low limit.
        methodOptions: Object.fromEntries(
          GRADIENT_ROUTES.map((key) => {
            const [method, path] = key.split(' ') as [string, string];
            return [`${path}/${method}`, throttle];
          }),
        ),
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Request bodies carry Partner API keys: full request/response logging must stay off.
        dataTraceEnabled: false,
      },
    });

    // API Gateway creates its execution log group on first use with no expiry; owning it sets retention.
    new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${config.stage}`,
      retention,
      removalPolicy,
    });

    const { region, urlSuffix } = Stack.of(this);
    this.url = `https://${this.restApi.restApiId}.execute-api.${region}.${urlSuffix}/${this.restApi.deploymentStage.stageName}`;

    // One API-scoped invoke permission instead of one per method (the function policy has a size limit).
    const integration = new apigw.LambdaIntegration(this.handler.fn, { proxy: true, scopePermissionToMethod: false });
    // No API Gateway request validator: it would need models, and bodies are validated once, by the handler's zod
    // schemas (the one rule, answered as the documented 400 listing every problem); a validator without models
    // validates nothing. Path parameters are required by the resource tree itself.
    const routes = addRoutes(this.restApi, integration);
    for (const key of GRADIENT_ROUTES) {
      if (!routes.has(key)) throw new Error(`throttled route ${key} is not in openapi.json`);
    }

    Validations.of(this.restApi).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Requests are validated by the handler: zod schemas per route answer a 400 listing every problem, before ' +
          'any state changes. An API Gateway validator without models would validate nothing (see above).',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'Every method requires SigV4 (IAM) and the only caller is the vendor console backend; unsigned ' +
          'requests are rejected by API Gateway before any integration runs, and stage throttling caps volume.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason: 'The API authorizes with IAM (SigV4) on every method, not with Cognito user pools.',
      },
    );
    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway writes its logs with; this AWS-maintained policy is the documented ' +
          'one for it, and only the API Gateway service can assume the role.',
      });
    }
  }
}
