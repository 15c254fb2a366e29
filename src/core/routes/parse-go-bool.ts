/**
 * A boolean as Go's `strconv.ParseBool` reads it (ingress-nginx parses its boolean annotations
 * so): "1", "t", "T", "TRUE", "true", "True" are true; "0", "f", "F", "FALSE", "false", "False"
 * are false; anything else is an error in Go, and the annotation is then ignored (undefined here).
 */
export function parseGoBool(value: string | undefined): boolean | undefined {
  switch (value) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return undefined;
  }
}
