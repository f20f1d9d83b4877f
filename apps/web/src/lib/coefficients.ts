import type { Estimate, Locale, UndefinedReason } from '@warrant/contracts';
import type { Translate } from './i18n/translate.ts';

/**
 * Agreement coefficients as people read them: two decimals in the locale's way ("0.72", "0,72"),
 * an interval as "0.72 (0.65–0.79)", and an undefined coefficient as the word "undefined" with
 * its reason. Never a 0 or a 1 in place of "undefined" (issue 4).
 */

const formats = new Map<Locale, Intl.NumberFormat>();

function coefficientFormat(locale: Locale): Intl.NumberFormat {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formats.set(locale, format);
  }
  return format;
}

/**
 * "0.72"; a negative value with a true minus sign ("−0.30", so "−0.80–−0.20" stays readable), and
 * "-0.00" as "0.00" (a tiny negative rounds to nothing, not to a sign).
 */
export function formatCoefficient(value: number, locale: Locale): string {
  const text = coefficientFormat(locale).format(value);
  if (/^-0[.,]00$/.test(text)) return text.slice(1);
  return text.startsWith('-') ? `\u2212${text.slice(1)}` : text;
}

/** "0.65–0.79", or null when either end is missing. */
export function formatInterval(low: number | null, high: number | null, locale: Locale): string | null {
  if (low === null || high === null) return null;
  return `${formatCoefficient(low, locale)}–${formatCoefficient(high, locale)}`;
}

/** "0.72 (0.65–0.79)", "0.72" without an interval, or null when the estimate is undefined. */
export function formatEstimate(estimate: Estimate, locale: Locale): string | null {
  if (estimate.value === null) return null;
  const value = formatCoefficient(estimate.value, locale);
  const interval = formatInterval(estimate.low, estimate.high, locale);
  return interval === null ? value : `${value} (${interval})`;
}

/** Why a coefficient is undefined, in words; a missing reason reads as "nothing to compare". */
export function reasonText(reason: UndefinedReason | null, t: Translate): string {
  switch (reason) {
    case 'one-category':
      return t('figures.reason.oneCategory');
    case 'too-few-coders':
      return t('figures.reason.tooFewCoders');
    default:
      return t('figures.reason.nothingToCompare');
  }
}

/** The whole estimate as one phrase: the figure, or "undefined: fewer than two annotators". */
export function estimateText(estimate: Estimate, locale: Locale, t: Translate): string {
  return formatEstimate(estimate, locale) ?? `${t('figures.undefined')}: ${reasonText(estimate.reason, t)}`;
}

/** A plain figure (an F1) that may be missing: "0.83", or "undefined: nothing to compare". */
export function figureText(value: number | null, locale: Locale, t: Translate): string {
  return value === null ? `${t('figures.undefined')}: ${reasonText('nothing-to-compare', t)}` : formatCoefficient(value, locale);
}
