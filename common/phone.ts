/**
 * Phone numbers: one canonical form (E.164) for what we write, and the list of formats a number is commonly typed
 * in for what we search (M17, O2). Zoho matches phone fields as exact strings, so a client stored as
 * `098 123 45 67` is found only by searching for that very string.
 * Pure and deterministic: used inside workflow code.
 */
import { Metadata, getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js';

/** COQL accepts at most 50 values in an `in` list: one query must cover every variant. */
export const MAX_PHONE_VARIANTS = 50;

const supported = (country: string): CountryCode | undefined =>
  isSupportedCountry(country) ? (country as CountryCode) : undefined;

/**
 * How digits without `+` or `00` that are no valid number of the default country are read: also as international
 * (`48501234567` → `+48501234567`), or, as before 30 November 2026, in the default country only — kept for calls
 * recorded before that may replay (FOREIGN_DIGITS in workflows/patches.ts).
 */
export type DigitsReading = 'international-too' | 'default-country-only';

function parse(raw: string, defaultCountry: string, reading: DigitsReading = 'international-too'): PhoneNumber | undefined {
  const text = raw.trim();
  const national = parsePhoneNumberFromString(text, supported(defaultCountry));
  if (national?.isValid()) return national;
  // Ringostat writes every number as digits without `+` (`48501234567`): a foreign one is no number of the
  // default country, but is one once read with its country code. A leading 0 is a trunk or dial-out prefix
  // (no country code starts with 0), which the default-country reading handles.
  const international = reading === 'international-too' && /^[1-9]/.test(text) ? parsePhoneNumberFromString(`+${text}`) : undefined;
  if (international?.isValid()) return international;
  return national?.isPossible() ? national : undefined;
}

/**
 * The number in E.164 (`+380981234567`), reading numbers without a country code in `defaultCountry`
 * (ISO 3166-1 alpha-2) — or, when they are no valid number there but are one with a `+` in front, as
 * international (`48501234567` → `+48501234567`). Null when the text is not a possible phone number
 * (extensions, SIP logins, hidden numbers).
 */
export function normalizePhone(raw: string, defaultCountry: string, reading?: DigitsReading): string | null {
  return parse(raw, defaultCountry, reading)?.number ?? null;
}

/** Whether reading digits as international too gives `raw` another number than the default country alone did. */
export function readsOtherwiseAsInternational(raw: string, defaultCountry: string): boolean {
  return normalizePhone(raw, defaultCountry) !== normalizePhone(raw, defaultCountry, 'default-country-only');
}

/** True when both texts are possible phone numbers and denote the same one. */
export function phonesEqual(a: string, b: string, defaultCountry: string): boolean {
  const first = normalizePhone(a, defaultCountry);
  return first !== null && first === normalizePhone(b, defaultCountry);
}

/** The prefix dialled from `country` to reach abroad (`00` in Europe, `011` in the US), when it is one fixed string. */
function dialOutPrefix(country: CountryCode): string | undefined {
  const metadata = new Metadata();
  metadata.selectNumberingPlan(country);
  const plan = metadata.numberingPlan;
  // The IDD prefix is a pattern in some countries; then the preferred literal is used, where `~` marks
  // "wait for the dial tone" (`8~10` in Russia).
  const fixed = (prefix: unknown): string | undefined => {
    const digits = String(prefix ?? '').replace(/~/g, '');
    return /^\d+$/.test(digits) ? digits : undefined;
  };
  return fixed(plan?.IDDPrefix()) ?? fixed(plan?.defaultIDDPrefix());
}

const digitGroups = (formatted: string): string[] => formatted.split(/\D+/).filter((group) => group.length > 0);

/**
 * Ways people group the digits after the country code or trunk prefix: the official grouping of the country
 * (libphonenumber's), and the "pairs at the end" grouping used in Ukraine and its neighbours (`098 123 45 67`).
 */
function groupings(officialGroups: string[]): string[][] {
  const [first, ...rest] = officialGroups;
  const subscriber = rest.join('');
  const pairs = subscriber.length >= 6 ? [first, subscriber.slice(0, -4), subscriber.slice(-4, -2), subscriber.slice(-2)] : [];
  return pairs.length > 0 && pairs.join(' ') !== officialGroups.join(' ') ? [officialGroups, pairs] : [officialGroups];
}

/**
 * One grouping written with spaces, with dashes, with a space after the area code and dashes in the subscriber
 * number (`067 123-45-67`), and with the area code in parentheses.
 */
function renderings(groups: string[], prefix: { spaced: string; dashed: string }): string[] {
  const [area, ...rest] = groups;
  return [
    prefix.spaced + groups.join(' '),
    prefix.dashed + groups.join('-'),
    `${prefix.spaced}${area} ${rest.join('-')}`,
    `${prefix.spaced}(${area}) ${rest.join(' ')}`,
    `${prefix.spaced}(${area}) ${rest.join('-')}`,
  ];
}

/**
 * Every format the number is commonly stored in, most common first, without duplicates, at most
 * {@link MAX_PHONE_VARIANTS}. National forms (no country code) are included only when the number belongs to the
 * default country's calling code: typed without a country code, a foreign number would denote someone else.
 */
export function phoneVariants(e164: string, defaultCountry: string): string[] {
  const phone = parse(e164, defaultCountry);
  if (!phone) return [];
  const callingCode = phone.countryCallingCode as string;
  const significant = phone.nationalNumber as string;
  const internationalGroups = digitGroups(phone.formatInternational()).slice(1);
  const nationalGroups = digitGroups(phone.formatNational());
  const national = nationalGroups.join('');
  // The trunk prefix is what national dialling adds in front of the significant number: `0` in UA/GB/DE, none in US.
  const trunk = national.endsWith(significant) ? national.slice(0, national.length - significant.length) : '';
  // Where the national form writes the trunk prefix apart from the area code (`8 (912) 345-67-89` in Russia and
  // Kazakhstan, `8 (029) 123-45-67` in Belarus), people group and bracket the digits after it, and write the prefix
  // in front: it is no area code of its own.
  const trunkApart = nationalGroups.length > 1 && trunk.startsWith(nationalGroups[0]) ? nationalGroups[0] : '';
  const afterTrunkApart = trunkApart ? nationalGroups.slice(1) : nationalGroups;

  const variants: string[] = [phone.number, callingCode + significant];
  const country = supported(defaultCountry);
  const sameCountry = !!country && getCountryCallingCode(country) === callingCode;
  if (sameCountry) {
    variants.push(national, significant);
    const prefix = trunkApart ? { spaced: `${trunkApart} `, dashed: `${trunkApart}-` } : { spaced: '', dashed: '' };
    for (const groups of groupings(afterTrunkApart)) variants.push(...renderings(groups, prefix));
  }
  for (const groups of groupings(internationalGroups)) {
    variants.push(...renderings(groups, { spaced: `+${callingCode} `, dashed: `+${callingCode}-` }));
    variants.push(`${callingCode} ${groups.join(' ')}`, `${callingCode}-${groups.join('-')}`);
  }
  const dialOut = country && dialOutPrefix(country);
  if (dialOut) variants.push(`${dialOut}${callingCode}${significant}`);
  if (trunk) {
    // UK style: the trunk prefix in parentheses after the country code, `+44 (0)20 7946 0958`.
    if (!trunkApart) variants.push(`+${callingCode} (${trunk})${nationalGroups.join(' ').slice(trunk.length)}`);
    // Ukrainian legacy style: the country code written without its last digit, which doubles as the trunk
    // prefix — `+38 098 123 45 67`, `+38-098-123-4567` (SPEC O2).
    if (callingCode.endsWith(trunk) && callingCode.length > trunk.length) {
      const shortCode = callingCode.slice(0, -trunk.length);
      for (const groups of groupings(nationalGroups)) {
        variants.push(...renderings(groups, { spaced: `+${shortCode} `, dashed: `+${shortCode}-` }));
      }
    }
  }
  return [...new Set(variants)].slice(0, MAX_PHONE_VARIANTS);
}

export const PHONE_STYLES = ['international', 'national', 'e164'] as const;
/** How people read a number: `+380 67 111 0001`, `067 111 0001` (numbers of another country stay international), `+380671110001`. */
export type PhoneStyle = (typeof PHONE_STYLES)[number];

/** An E.164 number written for people, in `style`; `national` applies to numbers of `homeCountry` only. */
export function formatPhone(e164: string, style: PhoneStyle, homeCountry: string): string {
  const parsed = style === 'e164' ? undefined : parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return style === 'national' && parsed.country === supported(homeCountry) ? parsed.formatNational() : parsed.formatInternational();
}
