import { Injectable } from '@nestjs/common';

/** Called inside the deactivation's transaction, so what a member held ends with it (sessions, subscriptions). */
export type DeactivationHook = (memberId: string, at: Date) => Promise<void>;

/**
 * Lets libraries above identity end what they keep for a member when the member is deactivated, without identity
 * importing them.
 */
@Injectable()
export class MemberLifecycle {
  private readonly hooks: DeactivationHook[] = [];

  onDeactivation(hook: DeactivationHook): void {
    this.hooks.push(hook);
  }

  async deactivated(memberId: string, at: Date): Promise<void> {
    for (const hook of this.hooks) await hook(memberId, at);
  }
}
