// One dashboard to read the sync at a glance and the alarms that page the operator through an SNS topic.
// Application metrics are the EMF metrics the Lambdas emit (namespace METRICS_NAMESPACE).
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambdas/shared/names';
import type { StackConfig } from '../config';

export const SERVICE_DIMENSION = { service: SERVICE_NAME };
/** What each alarm watches: its name is `<stack>-<purpose>` (e.g. `GradientBillingSync-prod-WorkDlq`), the runbook's key. */
export const ALARM_PURPOSES = [
  'WorkDlq',
  'SchedulerDlq',
  'PlannerFailure',
  'WorkerErrors',
  'PlannerErrors',
  'PartnerAuthFailed',
  'Api5xx',
  'Heartbeat',
] as const;
export type AlarmPurpose = (typeof ALARM_PURPOSES)[number];
/** The CloudWatch name of an alarm of a stack: what the console, the CLI and the runbook show. */
export const alarmName = (stackName: string, purpose: AlarmPurpose): string => `${stackName}-${purpose}`;
/** No successful run for this many hours raises the heartbeat alarm (nightly schedule + 2 h slack). */
export const HEARTBEAT_HOURS = 26;

export interface ObservabilityProps {
  readonly config: StackConfig;
  readonly functions: { planner: lambda.IFunction; worker: lambda.IFunction; api: lambda.IFunction };
  readonly workQueue: sqs.IQueue;
  readonly deadLetterQueues: { work: sqs.IQueue; scheduler: sqs.IQueue; plannerFailures: sqs.IQueue };
  readonly restApi: apigw.RestApi;
}

export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, functions, restApi } = props;
    const dlqs = props.deadLetterQueues;

    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `${SERVICE_NAME} ${config.stage}: alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic as a service principal.
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${SERVICE_NAME} ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    if (config.alarmEmail) {
      const subscription = this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'Email delivery to the operator: a failed notification cannot be replayed usefully, the alarm ' +
          'itself stays in ALARM on the dashboard and SNS counts failed deliveries.',
      });
    }

    const app = (metricName: string, statistic = 'Sum', period = Duration.minutes(5)) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: SERVICE_DIMENSION,
        statistic,
        period,
      });
    // Alarms take unlabelled metrics (a label turns them into metric-math form); graphs add labels.
    const depth = (q: sqs.IQueue, label?: string) =>
      q.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1), label });

    const alarm = (
      purpose: AlarmPurpose,
      description: string,
      p: cloudwatch.CreateAlarmOptions & { metric: cloudwatch.IMetric },
    ) => {
      const a = new cloudwatch.Alarm(this, `${purpose}Alarm`, {
        alarmName: alarmName(Stack.of(this).stackName, purpose),
        alarmDescription: description,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...p,
      });
      a.addAlarmAction(new actions.SnsAction(this.topic));
      a.addOkAction(new actions.SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };
    const atLeastOne = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    };

    alarm('WorkDlq', 'Work messages failed 5 times and sit in the work DLQ: see the runbook (DLQ redrive).', {
      metric: depth(dlqs.work),
      ...atLeastOne,
    });
    alarm('SchedulerDlq', "EventBridge Scheduler could not invoke the planner: tonight's sync did not start.", {
      metric: depth(dlqs.scheduler),
      ...atLeastOne,
    });
    alarm('PlannerFailure', "The planner failed after its async retries: tonight's sync was not planned.", {
      metric: depth(dlqs.plannerFailures),
      ...atLeastOne,
    });
    alarm('WorkerErrors', 'The worker threw or timed out (not a per-line failure): check its logs.', {
      metric: functions.worker.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      ...atLeastOne,
    });
    alarm('PlannerErrors', 'The planner threw or timed out: check its logs.', {
      metric: functions.planner.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      ...atLeastOne,
    });
    alarm(
      'PartnerAuthFailed',
      'Gradient refused a partner key (401/403): the partner is auth_failed until the MSP saves a new key.',
      {
        metric: app('PartnersAuthFailed'),
        ...atLeastOne,
      },
    );
    alarm('Api5xx', 'The API answered 5xx at least 5 times in 5 minutes (handler errors or Gradient failing).', {
      metric: restApi.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    alarm('Heartbeat', `No partner sync has succeeded for ${HEARTBEAT_HOURS} hours.`, {
      metric: app('RunsSucceeded', 'Sum', Duration.hours(1)),
      threshold: 1,
      evaluationPeriods: HEARTBEAT_HOURS,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    const hourly = (name: string, label: string) => {
      const m = app(name, 'Sum', Duration.hours(1));
      return m.with({ label });
    };
    const perFunction = (fn: (f: lambda.IFunction) => cloudwatch.IMetric) => [
      fn(functions.planner),
      fn(functions.worker),
      fn(functions.api),
    ];
    const fnLabel = (f: lambda.IFunction) =>
      f === functions.planner ? 'planner' : f === functions.worker ? 'worker' : 'api';
    const wide = { width: 12, height: 6 } as const;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${SERVICE_NAME}-${config.stage}`,
      defaultInterval: Duration.days(7),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 })],
        [
          new cloudwatch.GraphWidget({
            title: 'Partner runs per hour',
            left: [
              hourly('RunsSucceeded', 'succeeded'),
              hourly('RunsPartial', 'partial'),
              hourly('RunsFailed', 'failed'),
            ],
            stacked: true,
            ...wide,
          }),
          new cloudwatch.GraphWidget({
            title: 'Lines per hour',
            left: [
              hourly('LinesSent', 'sent'),
              hourly('LinesAccepted', 'accepted'),
              hourly('LinesNotMapped', 'not mapped'),
              hourly('LinesFailed', 'failed'),
            ],
            right: [hourly('LinesUnchanged', 'unchanged')],
            ...wide,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Partners failing / auth_failed',
            left: [hourly('RunsFailed', 'runs failed'), hourly('PartnersAuthFailed', 'turned auth_failed')],
            ...wide,
          }),
          new cloudwatch.GraphWidget({
            title: 'Gradient latency (ms) and 429s',
            left: [
              app('GradientLatency', 'p50').with({ label: 'p50' }),
              app('GradientLatency', 'p90').with({ label: 'p90' }),
            ],
            right: [
              app('GradientRateLimited').with({ label: '429s' }),
              app('GradientRetries').with({ label: 'retries' }),
              app('GradientRequests').with({ label: 'requests' }),
            ],
            ...wide,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Work queue: age of oldest message (s) and backlog',
            left: [props.workQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', label: 'oldest (s)' })],
            right: [
              props.workQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', label: 'visible' }),
            ],
            ...wide,
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queues (messages)',
            left: [
              depth(dlqs.work, 'work DLQ'),
              depth(dlqs.scheduler, 'scheduler DLQ'),
              depth(dlqs.plannerFailures, 'planner failures'),
            ],
            ...wide,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Lambda errors and throttles',
            left: perFunction((f) => f.metricErrors({ statistic: 'Sum', label: `${fnLabel(f)} errors` })),
            right: perFunction((f) => f.metricThrottles({ statistic: 'Sum', label: `${fnLabel(f)} throttles` })),
            width: 8,
            height: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'Lambda duration p90 (ms)',
            left: perFunction((f) => f.metricDuration({ statistic: 'p90', label: fnLabel(f) })),
            width: 8,
            height: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'API 4xx / 5xx',
            left: [
              restApi.metricClientError({ statistic: 'Sum', label: '4xx' }),
              restApi.metricServerError({ statistic: 'Sum', label: '5xx' }),
            ],
            right: [restApi.metricCount({ statistic: 'Sum', label: 'requests' })],
            width: 8,
            height: 6,
          }),
        ],
        [
          new cloudwatch.SingleValueWidget({
            title: 'Last 24 h',
            metrics: [
              app('RunsSucceeded', 'Sum', Duration.days(1)).with({ label: 'runs succeeded' }),
              app('RunsFailed', 'Sum', Duration.days(1)).with({ label: 'runs failed' }),
              app('PartnersEnqueued', 'Sum', Duration.days(1)).with({ label: 'partners enqueued' }),
              app('LinesAccepted', 'Sum', Duration.days(1)).with({ label: 'lines accepted' }),
              app('RunDuration', 'p90', Duration.days(1)).with({ label: 'run duration p90 (ms)' }),
            ],
            width: 24,
            height: 3,
          }),
        ],
      ],
    });
  }

  /** The console address of the dashboard. */
  get dashboardUrl(): string {
    return `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}
