import { IsEmail, IsNotEmpty, MaxLength } from 'class-validator';

/** The start page's form: a work e-mail address, whose domain names the organisation. */
export class SignInForm {
  @IsNotEmpty()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, require_tld: true })
  email!: string;
}

/** Catalogue keys of the form's errors, by property. */
export const SIGN_IN_MESSAGES: Record<string, { field: string; key: string }> = {
  email: { field: 'email', key: 'signIn.errors.emailInvalid' },
};
