import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { KarborStack, type KarborStackProps } from '../../infra/stack';

export type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[] };

export type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

/**
 * The stack synthesized without esbuild (R15: the one real `cdk synth` in CI
 * proves bundling), with lookups by route or worker id. The routes live in
 * nested stacks: `resources` holds every template's resources (logical ids
 * are unique across them: each is named from its route), `templates` each
 * template, and a reference to a parent resource from a nested stack is a
 * parameter (`{"Ref": "referenceto<Stack><Path><Ref|Arn>"}`).
 */
export const synthStack = (context: Record<string, unknown> = {}, props: KarborStackProps = {}, id = 'Test') => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  // No console unless asked for: test/infra/console.test.ts gives it a build.
  const stack = new KarborStack(app, id, { consoleDir: null, ...props });
  const template = Template.fromStack(stack);
  const nested = stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack);
  const templates = new Map<Stack, Template>([[stack, template], ...nested.map((n) => [n, Template.fromStack(n)] as const)]);
  const resources: Record<string, Resource> = {};
  for (const t of templates.values()) Object.assign(resources, t.toJSON().Resources as Record<string, Resource>);
  const fnOf = (fid: string) => {
    const fn = stack.routeFunctions.get(fid) ?? stack.workerFunctions.get(fid);
    if (!fn) throw new Error(`no function for ${fid}`);
    return fn;
  };
  const logicalId = (c: IConstruct): string => Stack.of(c).getLogicalId(c.node.defaultChild as CfnFunction);
  const functionLogicalId = (fid: string): string => logicalId(fnOf(fid));
  const roleLogicalId = (fid: string): string => Stack.of(fnOf(fid)).getLogicalId(fnOf(fid).role!.node.defaultChild as CfnRole);
  /** Every IAM statement attached to the function's role. */
  const statementsOf = (fid: string): Statement[] => {
    const role = roleLogicalId(fid);
    const own = templates.get(Stack.of(fnOf(fid)))!.toJSON().Resources as Record<string, Resource>;
    return Object.values(own)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: role })))
      .flatMap((r) => r.Properties.PolicyDocument.Statement);
  };
  const actionsOf = (fid: string): string[] => statementsOf(fid).flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
  const envOf = (fid: string): Record<string, unknown> => resources[functionLogicalId(fid)].Properties.Environment?.Variables ?? {};
  return { app, stack, template, templates, resources, functionLogicalId, roleLogicalId, statementsOf, actionsOf, envOf };
};

export type Synth = ReturnType<typeof synthStack>;

/** A stand-in console build for a synth with the console (the construct only needs the folder); the caller removes it. */
export const consoleBuild = (): string => {
  const dist = mkdtempSync(path.join(tmpdir(), 'karbor-console-dist-'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title>');
  return dist;
};
