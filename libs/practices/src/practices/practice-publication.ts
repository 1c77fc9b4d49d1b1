import { Injectable } from '@nestjs/common';

/** Runs inside the publishing transaction; work it enqueues is committed with the publication or not at all. */
export type PublicationHook = (practiceId: string, publishedAt: Date) => Promise<void>;

/**
 * Lets the digests library react to a first publication without practices importing it.
 */
@Injectable()
export class PracticePublication {
  private readonly hooks: PublicationHook[] = [];

  onPublished(hook: PublicationHook): void {
    this.hooks.push(hook);
  }

  async published(practiceId: string, publishedAt: Date): Promise<void> {
    for (const hook of this.hooks) await hook(practiceId, publishedAt);
  }
}
