import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * One part of the Karbor stack (data, API, jobs, scheduler): a construct for
 * the code's sake, whose resources are children of the stack itself, where
 * they were before the stack was split into parts. A construct's id is hashed
 * into the logical id of every resource under it, and a changed logical id is
 * a replacement: a new, empty table beside the retained one, a second user
 * pool, a route nested stack whose route keys clash with the old one's. With
 * the stack as their scope the construct paths, and so every logical id,
 * nested-stack parameter and cdk-nag path rule, stay as they were
 * (test/infra/logical-ids.test.ts pins the stateful ones).
 */
export abstract class StackPart extends Construct {
  /** The scope of this part's resources. */
  protected readonly stack: Stack;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.stack = Stack.of(this);
  }
}
