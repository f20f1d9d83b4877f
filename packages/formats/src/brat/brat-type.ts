/**
 * brat types (entity labels, relation types) are whitespace-delimited tokens in the .ann and the
 * annotation.conf, so a Warrant label such as `major claim` cannot be written as it is. Each
 * whitespace character becomes `_` (`major_claim`); the exporter reports every span or relation
 * whose type changed, and annotationConf applies the same rule so the two files agree.
 */
export function toBratType(name: string): string {
  return name.replace(/\s/g, '_');
}
