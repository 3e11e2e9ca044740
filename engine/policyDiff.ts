/**
 * The exact change to a policy document as a unified diff of the pretty-printed JSON, for dry
 * runs, approval requests and notifications. Policies are at most a few hundred lines, so a
 * plain longest-common-subsequence table is fast enough and keeps the output minimal.
 */

function pretty(text: string): string[] {
  try {
    return JSON.stringify(JSON.parse(text), null, 2).split('\n');
  } catch {
    return text.split('\n');
  }
}

type Edit = { kind: ' ' | '-' | '+'; line: string };

function lineEdits(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      edits.push({ kind: ' ', line: a[i++] });
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      edits.push({ kind: '-', line: a[i++] });
    } else {
      edits.push({ kind: '+', line: b[j++] });
    }
  }
  return edits;
}

/**
 * Unified diff (3 lines of context) between two policy documents, headed by the labels; the empty
 * string when they are the same document.
 */
export function policyDiff(beforeText: string, afterText: string, labels: { before: string; after: string }): string {
  const a = pretty(beforeText);
  const b = pretty(afterText);
  const edits = lineEdits(a, b);
  if (edits.every((e) => e.kind === ' ')) return '';
  const context = 3;
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  let index = 0;
  while (index < edits.length) {
    if (edits[index].kind === ' ') {
      index++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change within reach.
    const start = Math.max(0, index - context);
    let end = index;
    while (end < edits.length) {
      if (edits[end].kind !== ' ') {
        end++;
        continue;
      }
      let run = end;
      while (run < edits.length && edits[run].kind === ' ') run++;
      if (run >= edits.length || run - end > 2 * context) {
        end = Math.min(edits.length, end + context);
        break;
      }
      end = run;
    }
    const lineAt = (upTo: number, side: '-' | '+') => edits.slice(0, upTo).filter((e) => e.kind === ' ' || e.kind === side).length;
    const hunk = edits.slice(start, end);
    const oldCount = hunk.filter((e) => e.kind !== '+').length;
    const newCount = hunk.filter((e) => e.kind !== '-').length;
    out.push(`@@ -${lineAt(start, '-') + 1},${oldCount} +${lineAt(start, '+') + 1},${newCount} @@`);
    for (const edit of hunk) out.push(`${edit.kind}${edit.line}`);
    index = end;
  }
  return out.join('\n');
}
