// The console's SQL editor: CodeMirror 6 with DuckDB highlighting, schema completion, Mod-Enter to run, error marks.
//
// The editor lives in a shadow root. CodeMirror injects its CSS at run time; in a document it does so with a
// <style> element, which the site's CSP (style-src 'self') blocks, leaving the editor unstyled. In a shadow
// root it uses a constructed stylesheet (adoptedStyleSheets), which CSP does not govern. Page CSS does not
// reach into the shadow root, so the theme below carries every rule; colours are the site's CSS variables
// (they inherit through the shadow boundary), so light and dark follow the reader's setting.
// Tab is left to the browser (focus moves on), as CodeMirror does by default, so the editor is no keyboard trap.
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  placeholder as placeholderText,
  type DecorationSet,
} from '@codemirror/view';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import { sql } from '@codemirror/lang-sql';
import { DuckDB, consoleCompletionSources, type TableInfo } from './dialect.ts';

export interface SqlEditor {
  readonly view: EditorView;
  text(): string;
  /** Replace the whole text (cursor to the end); clears the error mark. */
  setText(text: string): void;
  /** Insert at the cursor (replacing a selection) and focus the editor. */
  insert(text: string): void;
  /** Underline the token at `offset`, put the cursor there and scroll it into view. */
  markError(offset: number, focus?: boolean): void;
  clearError(): void;
  focus(): void;
}

export interface EditorOptions {
  readonly doc: string;
  readonly tables: readonly TableInfo[];
  readonly onRun: () => void;
  /** Accessible name of the editable area. */
  readonly label: string;
  /** How to use the keys, read by screen readers (aria-description: IDREFs do not cross the shadow root). */
  readonly description?: string;
  readonly placeholder?: string;
}

const setError = StateEffect.define<{ from: number; to: number } | null>();
const errorMark = Decoration.mark({ class: 'cm-sql-error', attributes: { 'aria-invalid': 'true' } });

const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    // Any edit means the reader is fixing it; the mark would point at stale text.
    let next = tr.docChanged ? Decoration.none : marks.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setError)) next = e.value ? Decoration.set([errorMark.range(e.value.from, e.value.to)]) : Decoration.none;
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The span to underline at an error offset: the word or quoted token starting there, else one character. */
export function errorSpan(doc: string, offset: number): { from: number; to: number } {
  let from = Math.max(0, Math.min(offset, doc.length));
  if (from === doc.length || doc[from] === '\n') from = Math.max(0, from - 1);
  const rest = doc.slice(from);
  const m = /^("(?:[^"]|"")*"|'(?:[^']|'')*'|[\w$.]+|\S)/.exec(rest);
  const to = Math.min(doc.length, from + Math.max(1, m?.[0].length ?? 1));
  return { from, to };
}

const MONO = 'var(--font-mono)';
const DANGER = 'var(--danger)';
const tint = (pct: number, colour = 'var(--accent)') => `color-mix(in srgb, ${colour} ${pct}%, transparent)`;

/** Layout and colours from the site's design tokens (src/styles/tokens.css, light and dark). */
const theme = EditorView.theme({
  '&': {
    color: 'var(--fg)',
    backgroundColor: 'var(--bg)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
    fontSize: '0.92rem',
    minHeight: '8rem',
    maxHeight: '60vh',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: MONO, lineHeight: '1.5', minHeight: '8rem' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--surface)', color: 'var(--muted)', borderRight: '1px solid var(--border)', borderRadius: '6px 0 0 6px' },
  '.cm-activeLine': { backgroundColor: tint(6) },
  '.cm-activeLineGutter': { backgroundColor: tint(14), color: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground': { backgroundColor: tint(28) },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: tint(22), outline: `1px solid ${tint(55)}` },
  '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: tint(30, DANGER) },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-sql-error': {
    textDecoration: `underline wavy ${DANGER}`,
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
    backgroundColor: tint(16, DANGER),
  },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--fg)', border: '1px solid var(--border)', borderRadius: '4px' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: MONO, maxHeight: '16em' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--bg)' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected] .cm-completionDetail': { color: 'var(--bg)' },
  '.cm-completionDetail': { color: 'var(--muted)', marginLeft: '0.8em', fontStyle: 'normal' },
  '.cm-completionMatchedText': { textDecoration: 'none', fontWeight: '700' },
  '.cm-tooltip.cm-completionInfo': { maxWidth: '24rem', padding: '0.3rem 0.5rem', fontFamily: 'var(--font-sans)', fontSize: '0.85rem' },
});

/** Token colours: design tokens for light and dark (--tok-* in src/styles/tokens.css). */
const highlight = HighlightStyle.define([
  { tag: t.keyword, color: 'var(--tok-keyword)', fontWeight: '600' },
  { tag: [t.string, t.special(t.string)], color: 'var(--tok-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--tok-number)' },
  { tag: [t.lineComment, t.blockComment, t.comment], color: 'var(--tok-comment)', fontStyle: 'italic' },
  { tag: t.typeName, color: 'var(--tok-type)' },
  { tag: t.standard(t.name), color: 'var(--tok-function)' },
  { tag: [t.special(t.name), t.propertyName], color: 'var(--tok-name)' },
  { tag: t.invalid, color: DANGER },
]);

export function createEditor(host: HTMLElement, o: EditorOptions): SqlEditor {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const parent = document.createElement('div');
  root.replaceChildren(parent);
  const run = (): boolean => {
    o.onRun();
    return true;
  };
  const contentAttrs: Record<string, string> = { 'aria-label': o.label };
  if (o.description) contentAttrs['aria-description'] = o.description;
  const extensions: Extension[] = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    syntaxHighlighting(highlight),
    theme,
    bracketMatching(),
    closeBrackets(),
    // Enter accepts a completion only once the reader has moved into the list (arrow keys): with nothing selected
    // on open, Enter is a new line, so `LIMIT 10` + Enter never becomes a completion. Sources stay out of literals.
    autocompletion({ icons: false, selectOnOpen: false, override: consoleCompletionSources(o.tables) }),
    highlightActiveLine(),
    EditorView.lineWrapping,
    // Mod-Enter (Ctrl on Windows/Linux, Cmd on macOS) runs; it goes first so no other binding takes it.
    keymap.of([{ key: 'Mod-Enter', run, preventDefault: true }]),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
    sql({ dialect: DuckDB }),
    errorField,
    EditorView.contentAttributes.of(contentAttrs),
  ];
  if (o.placeholder) extensions.push(placeholderText(o.placeholder));
  const view = new EditorView({ parent, root, state: EditorState.create({ doc: o.doc, extensions }) });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        selection: { anchor: text.length },
        effects: setError.of(null),
      });
    },
    insert(text) {
      view.dispatch(view.state.replaceSelection(text));
      view.focus();
    },
    markError(offset, focus = true) {
      const span = errorSpan(view.state.doc.toString(), offset);
      view.dispatch({
        selection: { anchor: span.from },
        effects: [setError.of(span), EditorView.scrollIntoView(span.from, { y: 'center' })],
      });
      if (focus) view.focus();
    },
    clearError() {
      view.dispatch({ effects: setError.of(null) });
    },
    focus: () => view.focus(),
  };
}
