import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A topic: `slug` is the normalised form that makes "Cyber Security" and " cyber-security " one tag. */
@Entity('tag')
export class TagEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('tag_slug_key', { unique: true })
  @Column({ type: 'varchar', length: 60 })
  slug!: string;

  @Column({ type: 'varchar', length: 60 })
  label!: string;

  /** Part of the curated topic vocabulary, rather than a free tag. */
  @Column({ type: 'boolean', default: false })
  curated!: boolean;
}
