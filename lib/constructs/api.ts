// The HTTP API: API Gateway REST API (IAM/SigV4 on every method, throttled, JSON access logs) in front
// of the api Lambda (proxy integration), which manages partner secrets and the tables lib/access.ts names.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAME } from '../../lambdas/shared/names';
import { FUNCTION_ACCESS } from '../access';
import type { StackConfig } from '../config';
import { grantAccess } from './access';
import type { DataTables } from './data';
import { AppFunction } from './functions';
import type { Secrets } from './secrets';

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
      environment: { ...props.environment, QUEUE_URL: queue.queueUrl },
      config,
    });
    grantAccess(this.handler, FUNCTION_ACCESS.api, { data, secrets, workQueue: queue });
    Validations.of(this.handler.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously by API Gateway only; the caller receives every error, nothing is queued.',
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention, removalPolicy });

    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: `${SERVICE_NAME}-${config.stage}`,
      description: `${SERVICE_NAME} HTTP API (SigV4)`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: config.apiGatewayCloudWatchRole,
      // The role is account-wide (other APIs log through it too): deleting this stack must not remove it.
      ...(config.apiGatewayCloudWatchRole && { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN }),
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: {
        stageName: config.stage,
        throttlingRateLimit: config.apiThrottleRateLimit,
        throttlingBurstLimit: config.apiThrottleBurstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
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

    const integration = new apigw.LambdaIntegration(this.handler.fn, { proxy: true });
    const validator = new apigw.RequestValidator(this, 'RequestValidator', {
      restApi: this.restApi,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    // Bodies are validated by the handler (zod) against each route's schema; API Gateway checks the path.
    const v1 = this.restApi.root.addResource('v1');
    v1.addProxy({ anyMethod: false }).addMethod('ANY', integration, {
      authorizationType: apigw.AuthorizationType.IAM,
      requestValidator: validator,
      requestParameters: { 'method.request.path.proxy': true },
    });
    this.restApi.root.addResource('openapi.json').addMethod('GET', integration, {
      authorizationType: apigw.AuthorizationType.IAM,
      requestValidator: validator,
    });

    Validations.of(this.restApi).acknowledge(
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
