// The nightly sync path: EventBridge Scheduler → planner (async, failure destination) → SQS work queue
// (+DLQ) → worker (batch size 1, partial batch failures, concurrency capped to protect Gradient).
import { Aws, type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAME } from '../../lambdas/shared/names';
import { WORK_QUEUE_MAX_RECEIVE_COUNT, WORKER_TIMEOUT_SECONDS } from '../../lambdas/shared/settings';
import { FUNCTION_ACCESS } from '../access';
import type { StackConfig } from '../config';
import { grantAccess } from './access';
import type { DataTables } from './data';
import { AppFunction } from './functions';
import type { Secrets } from './secrets';

export const WORKER_TIMEOUT = Duration.seconds(WORKER_TIMEOUT_SECONDS);
// The batched planner enqueued 10,000 partners in 6 s with 10 ms per DynamoDB and SQS call (BENCHMARKS.md,
// "Planner at 10,000 partners"; sequentially it took 209 s): 5 minutes leaves room for a network ten times slower
// and the SDK's retries, and a planner stuck on a call times out, so Lambda retries it, within minutes.
export const PLANNER_TIMEOUT = Duration.minutes(5);
/** Lambda's guidance for SQS sources: visibility at least six times the function timeout. */
export const WORK_QUEUE_VISIBILITY = Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6);
const RETENTION = Duration.days(14);

export interface SyncProps {
  readonly config: StackConfig;
  readonly data: DataTables;
  readonly secrets: Secrets;
  /** Variables every function receives (tables, secrets, Gradient); QUEUE_URL is added here. */
  readonly environment: Record<string, string>;
}

export class Sync extends Construct {
  readonly workQueue: sqs.Queue;
  readonly workDlq: sqs.Queue;
  readonly schedulerDlq: sqs.Queue;
  readonly plannerFailures: sqs.Queue;
  readonly planner: AppFunction;
  readonly worker: AppFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: SyncProps) {
    super(scope, id);
    const { config, data, secrets } = props;
    const { removalPolicy } = config;
    const queueDefaults = {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: RETENTION,
      removalPolicy,
    } satisfies sqs.QueueProps;

    this.workDlq = new sqs.Queue(this, 'WorkDlq', queueDefaults);
    Validations.of(this.workDlq).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'WorkDlq is the dead-letter queue of WorkQueue; the operator redrives it back with a message move task.',
    });
    this.workQueue = new sqs.Queue(this, 'WorkQueue', {
      ...queueDefaults,
      visibilityTimeout: WORK_QUEUE_VISIBILITY,
      deadLetterQueue: { queue: this.workDlq, maxReceiveCount: WORK_QUEUE_MAX_RECEIVE_COUNT },
    });

    // Where undeliverable schedule invocations and failed async planner invocations land. Nothing
    // consumes them: any message raises an alarm and the runbook says how to re-run the planner.
    this.schedulerDlq = new sqs.Queue(this, 'SchedulerDlq', queueDefaults);
    this.plannerFailures = new sqs.Queue(this, 'PlannerFailures', queueDefaults);
    for (const q of [this.schedulerDlq, this.plannerFailures]) {
      Validations.of(q).acknowledge(
        {
          id: 'AwsSolutions-SQS3',
          reason:
            'This queue is itself a dead-letter target (scheduler DLQ / planner onFailure destination); it is ' +
            'alarmed on and drained by the operator, so it needs no DLQ of its own.',
        },
        {
          id: 'Serverless-SQSRedrivePolicy',
          reason: 'Dead-letter target with no consumer: a redrive policy would never apply.',
        },
      );
    }

    const environment = {
      ...props.environment,
      QUEUE_URL: this.workQueue.queueUrl,
      WORK_QUEUE_MAX_RECEIVE_COUNT: String(WORK_QUEUE_MAX_RECEIVE_COUNT),
    };

    this.planner = new AppFunction(this, 'Planner', {
      handler: 'planner',
      description: 'Nightly: one work message per sync-enabled partner',
      memorySize: 512,
      timeout: PLANNER_TIMEOUT,
      environment,
      config,
      onFailure: new SqsDestination(this.plannerFailures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    Validations.of(this.planner.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Async failures go to the onFailure destination PlannerFailures, which supersedes a DLQ: it records the ' +
        'error and the original event.',
    });
    grantAccess(this.planner, FUNCTION_ACCESS.planner, { data, secrets, workQueue: this.workQueue });

    this.worker = new AppFunction(this, 'Worker', {
      handler: 'worker',
      description: 'Syncs one partner and period to Gradient',
      memorySize: 1024,
      timeout: WORKER_TIMEOUT,
      environment,
      config,
    });
    grantAccess(this.worker, FUNCTION_ACCESS.worker, { data, secrets, workQueue: this.workQueue });
    this.worker.fn.addEventSource(
      new SqsEventSource(this.workQueue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: config.workerMaxConcurrency,
      }),
    );
    // SQS event sources fail over through the queue's own redrive policy (to WorkDlq), not an ESM destination.
    const mapping = this.worker.fn.node.children.find((c) => c.node.id.startsWith('SqsEventSource:'));
    Validations.of(mapping ?? this.worker.fn).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event source mappings do not support on-failure destinations; failed messages move to WorkDlq ' +
        `after ${WORK_QUEUE_MAX_RECEIVE_COUNT} receives through the queue redrive policy.`,
    });

    Validations.of(this.worker.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only (synchronously) by its SQS event source, never asynchronously; undeliverable work lands in ' +
        'WorkDlq through the queue redrive policy.',
    });

    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler: invoke the planner, send undeliverable invocations to SchedulerDlq',
    });
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.planner.fn.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on the planner and its versions/aliases (the `:*` qualifier CDK's grantInvoke adds); " +
        'the role can invoke no other function.',
    });
    this.schedule = new scheduler.Schedule(this, 'NightlySchedule', {
      description: `${SERVICE_NAME} ${config.stage}: nightly sync (UTC)`,
      schedule: scheduler.ScheduleExpression.expression(config.scheduleCron, TimeZone.ETC_UTC),
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.LambdaInvoke(this.planner.fn, {
        input: scheduler.ScheduleTargetInput.fromObject({
          trigger: 'schedule',
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        role: schedulerRole,
        deadLetterQueue: this.schedulerDlq,
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}
