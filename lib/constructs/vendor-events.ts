// The vendor's event bus (docs/events.md) and the one example rule the stack ships: a partner whose key Gradient
// rejected goes to an SNS topic for the partner team, whose e-mail subscriptions are the `partnerTeamEmails`
// context setting. The worker and the API put events on the bus; a rule delivery that fails lands in a DLQ.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE, type EventDetailType, type PartnerStatus } from '../../lambdas/core/model';
import { SERVICE_NAME } from '../../lambdas/shared/names';
import type { StackConfig } from '../config';

export interface VendorEventsProps {
  readonly config: StackConfig;
  readonly removalPolicy: RemovalPolicy;
}

export class VendorEvents extends Construct {
  readonly bus: events.EventBus;
  readonly partnerTeamTopic: sns.Topic;
  readonly ruleDlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: VendorEventsProps) {
    super(scope, id);
    const { config } = props;
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: `${SERVICE_NAME}-${config.stage}` });

    const key = new kms.Key(this, 'PartnerTeamTopicKey', {
      description: `${SERVICE_NAME} ${config.stage}: partner team topic`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // EventBridge publishes the rule's matches to the encrypted topic as a service principal.
    key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    this.partnerTeamTopic = new sns.Topic(this, 'PartnerTeamTopic', {
      displayName: `${SERVICE_NAME} ${config.stage} partner team`,
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of config.partnerTeamEmails) {
      const subscription = this.partnerTeamTopic.addSubscription(new subscriptions.EmailSubscription(email));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'Email to the partner team: the event stays on the bus archive-free but the partner shows auth_failed ' +
          'in the fleet page, and SNS counts failed deliveries.',
      });
    }

    this.ruleDlq = new sqs.Queue(this, 'RuleDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.ruleDlq).acknowledge(
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the dead-letter target of the example rule; nothing consumes it but the operator.',
      },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'Dead-letter target with no consumer: a redrive policy would never apply.',
      },
    );

    // The example rule: a key rejected (the partner is auth_failed) reaches the partner team the same night.
    new events.Rule(this, 'KeyRejectedRule', {
      eventBus: this.bus,
      description: 'A partner whose Gradient key was rejected: to the partner team topic',
      eventPattern: {
        source: [EVENT_SOURCE],
        detailType: ['Partner Status Changed' satisfies EventDetailType],
        detail: { to: ['auth_failed' satisfies PartnerStatus] },
      },
      targets: [new targets.SnsTopic(this.partnerTeamTopic, { deadLetterQueue: this.ruleDlq, retryAttempts: 8 })],
    });
  }
}
