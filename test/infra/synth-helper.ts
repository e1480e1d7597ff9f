// Builds the stack the way `cdk synth` does (cdk.json feature flags, same stack class) minus bundling
// and the built-in CloudFormation validation, which cost seconds and are exercised by `npm run synth`.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type PolicyViolation, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { parseConfig } from '../../lib/config';
import { GradientBillingSyncStack } from '../../lib/gradient-billing-sync-stack';

const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface Synthesized {
  stack: GradientBillingSyncStack;
  template: Template;
}

export function synthStack(rawConfig: Record<string, unknown>): Synthesized {
  const app = new App({
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const stack = new GradientBillingSyncStack(app, 'TestStack', {
    config: parseConfig(rawConfig),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return { stack, template: Template.fromStack(stack) };
}

/** Unacknowledged cdk-nag findings of both packs, as `rule @ construct path`. */
export function nagFindings(scope: IConstruct): { severity: string; finding: string }[] {
  const violations: PolicyViolation[] = [
    ...new AwsSolutionsChecks().validateScope(scope).violations,
    ...new ServerlessChecks().validateScope(scope).violations,
  ];
  return violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      severity: v.severity ?? 'error',
      finding: `${v.ruleName} @ ${r.constructPath}`,
    })),
  );
}

/** Every `Validations.of(x).acknowledge(...)` in the tree: where, which rule, and why. */
export function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** The CloudFormation type of a `dynamodb.TableV2` (a global table with one replica, in the stack's region). */
export const TABLE_TYPE = 'AWS::DynamoDB::GlobalTable';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; [k: string]: unknown }>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The logical id of the only resource of `type` whose logical id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

/** Policy statements attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOfRole(
  template: Template,
  rolePrefix: string,
): { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown }[] {
  const roleId = logicalId(template, 'AWS::IAM::Role', rolePrefix);
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties['Roles'] as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties['PolicyDocument'] as { Statement: never[] }).Statement);
}

export const actionsOf = (s: { Action: string | string[] }): string[] =>
  Array.isArray(s.Action) ? s.Action : [s.Action];
