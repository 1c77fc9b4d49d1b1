import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { PracticeEntity } from '../practices/practice.entity.js';
import { TagEntity } from './tag.entity.js';

@Entity('practice_tag')
@Index('practice_tag_tag_idx', ['tagId'])
export class PracticeTagEntity {
  @PrimaryColumn({ type: 'uuid' })
  practiceId!: string;

  @PrimaryColumn({ type: 'uuid' })
  tagId!: string;

  @ManyToOne(() => PracticeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Relation<PracticeEntity>;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id' })
  tag?: Relation<TagEntity>;
}
