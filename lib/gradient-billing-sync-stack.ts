// The deployable stack: composes one construct per concern and exports what an operator needs.
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SERVICE_NAME } from '../lambdas/shared/names';
import { WORK_QUEUE_MAX_RECEIVE_COUNT } from '../lambdas/shared/settings';
import type { StackConfig } from './config';
import { Api } from './constructs/api';
import { DataTables } from './constructs/data';
import { Observability } from './constructs/observability';
import { Secrets } from './constructs/secrets';
import { Sync } from './constructs/sync';
import { VendorEvents } from './constructs/vendor-events';

export interface GradientBillingSyncStackProps extends StackProps {
  readonly config: StackConfig;
}

export class GradientBillingSyncStack extends Stack {
  readonly data: DataTables;
  readonly secrets: Secrets;
  readonly sync: Sync;
  readonly api: Api;
  readonly observability: Observability;
  readonly events: VendorEvents;

  constructor(scope: Construct, id: string, props: GradientBillingSyncStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('service', SERVICE_NAME);
    Tags.of(this).add('stage', config.stage);

    this.data = new DataTables(this, 'Data', { config });
    this.secrets = new Secrets(this, 'Secrets', { config });
    this.events = new VendorEvents(this, 'Events', { config, removalPolicy: config.removalPolicy });

    const environment: Record<string, string> = {
      ...this.data.environment(),
      PARTNER_SECRET_PREFIX: this.secrets.partnerPrefix,
      VENDOR_KEY_SECRET_ID: this.secrets.vendorKey.secretName,
      PARTNER_SECRET_KMS_KEY_ID: this.secrets.key.keyArn,
      GRADIENT_BASE_URL: config.gradientBaseUrl,
      GRADIENT_TIMEOUT_MS: String(config.gradientTimeoutMs),
      GRADIENT_RATE_BUDGET: String(config.gradientRateBudget),
      WORKER_MAX_CONCURRENCY: String(config.workerMaxConcurrency),
      EVENT_BUS_NAME: this.events.bus.eventBusName,
    };

    this.sync = new Sync(this, 'Sync', { config, data: this.data, secrets: this.secrets, environment });
    this.api = new Api(this, 'Api', {
      config,
      data: this.data,
      secrets: this.secrets,
      queue: this.sync.workQueue,
      environment,
    });
    // The worker and the API put the vendor's events on its bus (the planner raises none).
    this.events.bus.grantPutEventsTo(this.sync.worker.fn);
    this.events.bus.grantPutEventsTo(this.api.handler.fn);
    this.observability = new Observability(this, 'Observability', {
      config,
      functions: { planner: this.sync.planner.fn, worker: this.sync.worker.fn, api: this.api.handler.fn },
      workQueue: this.sync.workQueue,
      deadLetterQueues: {
        work: this.sync.workDlq,
        scheduler: this.sync.schedulerDlq,
        plannerFailures: this.sync.plannerFailures,
      },
      restApi: this.api.restApi,
    });

    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('ApiUrl', this.api.url, 'Stage root of the HTTP API: append a path such as /v1/services (SigV4, execute-api)');
    out('WorkQueueUrl', this.sync.workQueue.queueUrl, 'SQS work queue (one message per partner and period)');
    out('WorkQueueArn', this.sync.workQueue.queueArn, 'SQS work queue ARN (DLQ redrive destination)');
    out(
      'WorkDlqName',
      this.sync.workDlq.queueName,
      `Work messages that failed ${WORK_QUEUE_MAX_RECEIVE_COUNT} receives`,
    );
    out('WorkDlqArn', this.sync.workDlq.queueArn, 'Work DLQ ARN (source of a message move task)');
    out(
      'SchedulerDlqName',
      this.sync.schedulerDlq.queueName,
      'Nightly schedule invocations that could not be delivered',
    );
    out('SchedulerDlqUrl', this.sync.schedulerDlq.queueUrl, 'Scheduler DLQ URL (read and delete its messages)');
    out('PlannerFailuresName', this.sync.plannerFailures.queueName, 'Planner async invocations that failed');
    out(
      'PlannerFailuresUrl',
      this.sync.plannerFailures.queueUrl,
      'Planner failures URL (read and delete its messages)',
    );
    out('PlannerFunctionName', this.sync.planner.fn.functionName, 'Planner Lambda (re-run a missed night)');
    out('VendorKeySecretName', this.secrets.vendorKey.secretName, 'Set the Gradient Vendor API key here after deploy');
    out('PartnerSecretPrefix', this.secrets.partnerPrefix, 'Name prefix of the per-partner key secrets');
    out('AlarmTopicArn', this.observability.topic.topicArn, 'SNS topic of every alarm');
    out('EventBusName', this.events.bus.eventBusName, "The vendor's event bus (docs/events.md)");
    out('PartnerTeamTopicArn', this.events.partnerTeamTopic.topicArn, 'SNS topic of the example rule: keys rejected');
    out('DashboardName', this.observability.dashboard.dashboardName, 'CloudWatch dashboard');
    out('DashboardUrl', this.observability.dashboardUrl, 'CloudWatch dashboard in the console');
  }
}
