// Applies one function's declared access (lib/access.ts) to its role: table actions, secrets, the work queue.
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { FunctionAccess } from '../access';
import type { DataTables } from './data';
import type { AppFunction } from './functions';
import { Secrets } from './secrets';

export interface AccessTargets {
  readonly data: DataTables;
  readonly secrets: Secrets;
  readonly workQueue: sqs.IQueue;
}

export function grantAccess(fn: AppFunction, access: FunctionAccess, targets: AccessTargets): void {
  targets.data.grant(fn.fn, access.tables);
  targets.secrets.grant(fn.fn, access);
  if ((access.partnerSecrets ?? []).length > 0) Secrets.acknowledgePartnerPrefix(fn.role, targets.secrets);
  // SendMessage only (it also authorizes SendMessageBatch): the queue URL comes from the environment, so
  // GetQueueUrl/GetQueueAttributes are never called.
  if (access.sendWork) {
    iam.Grant.addToPrincipal({
      grantee: fn.fn,
      actions: ['sqs:SendMessage'],
      resourceArns: [targets.workQueue.queueArn],
    });
  }
}
