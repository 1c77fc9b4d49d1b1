import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Actor, Viewer } from '#identity';
import { PracticeAccess, PracticeAccessService } from '../access/practice-access.js';
import type { AdoptionEntity } from './adoption.entity.js';
import { AdoptionRepository } from './adoption.repository.js';

@Injectable()
export class AdoptionService {
  private readonly logger = new Logger(AdoptionService.name);

  constructor(
    private readonly adoptions: AdoptionRepository,
    private readonly access: PracticeAccessService,
    private readonly tx: TransactionHost,
  ) {}

  /** Records that the actor's organisation adopted a published practice it can read. */
  async record(actor: Actor, practiceId: string, note: string, outcome: string): Promise<AdoptionEntity> {
    return this.tx.run(async () => {
      await this.access.requireAccess(actor, PracticeAccess.PRACTICE_ENGAGE, [practiceId]);
      const adoption = await this.adoptions.upsert({ practiceId, organisationId: actor.organisationId!, memberId: actor.memberId!, note, outcome });
      this.logger.log({ msg: 'adoption recorded', practiceId, adoptionId: adoption.id });
      return adoption;
    });
  }

  /** The newest adoptions of a practice the viewer may read (none otherwise), at most `first`. */
  async listVisible(viewer: Viewer, practiceId: string, first: number): Promise<AdoptionEntity[]> {
    return (await this.adoptions.listVisible(viewer, practiceId, first)).slice(0, first);
  }
}
