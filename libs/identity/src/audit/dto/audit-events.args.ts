import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '../../graphql/connection.js';
import { AuditAction } from '../audit-event.entity.js';

@InputType()
export class AuditEventFilter {
  @Field(() => [AuditAction], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsEnum(AuditAction, { each: true })
  actions?: AuditAction[];

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  since?: Date;
}

@ArgsType()
export class AuditEventsArgs extends ConnectionArgs {
  @Field(() => AuditEventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditEventFilter)
  filter?: AuditEventFilter;
}
