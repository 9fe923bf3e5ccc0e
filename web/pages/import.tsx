/**
 * Nhập danh bạ: HR uploads a CSV or XLSX, sees every unit and person it adds or changes, field by
 * field, or every row it refuses (row, column, rule), and applies it only on confirmation.
 */
import type { DirectoryDiff, RowChange } from '../../domain/directory-diff';
import { CsrfField, Layout, type Frame } from '../layout';
import type { WebSession } from '../session';

export interface ShownError {
  row: number;
  column: string | null;
  text: string;
}

export type ImportState =
  | { kind: 'form'; error?: string }
  | { kind: 'errors'; errors: ShownError[] }
  | { kind: 'preview'; key: string; diff: DirectoryDiff }
  | { kind: 'applied'; units: number; people: number };

type PageFrame = Frame & { session: WebSession };

function UploadForm({ frame, error }: { frame: PageFrame; error?: string }) {
  const { t } = frame.speech;
  return (
    <form
      method="post"
      action="/directory/import/preview"
      enctype="multipart/form-data"
      hx-post="/directory/import/preview"
      hx-encoding="multipart/form-data"
      hx-target="#import"
      hx-select="#import"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <CsrfField session={frame.session} />
      <label for="file">{t('import.file')}</label>
      <input
        type="file"
        id="file"
        name="file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        required
        aria-describedby={error ? 'file-hint file-error' : 'file-hint'}
        aria-invalid={error ? 'true' : undefined}
      />
      <p class="hint" id="file-hint">
        {t('import.hint')}
      </p>
      {error && (
        <p class="error" id="file-error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit">{t('import.preview')}</button>
      </div>
    </form>
  );
}

function Changes({ frame, title, rows }: { frame: PageFrame; title: string; rows: RowChange[] }) {
  const { t } = frame.speech;
  const shown = (v: string | boolean | null) =>
    v === null ? '—' : typeof v === 'boolean' ? t(v ? 'import.yes' : 'import.no') : v;
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p>{t('import.noChange')}</p>
      ) : (
        <ul class="changes">
          {rows.map((r) => (
            <li>
              <strong>{t(`import.${r.kind}`, { id: r.id })}</strong>
              <ul>
                {r.fields.map((f) => (
                  <li>
                    {t(`import.column.${f.field}`)}:{' '}
                    {r.kind === 'added'
                      ? shown(f.after)
                      : t('import.fromTo', { from: shown(f.before), to: shown(f.after) })}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ImportPage({ frame, state }: { frame: PageFrame; state: ImportState }) {
  const { t, number } = frame.speech;
  return (
    <Layout frame={frame} title={t('import.title')}>
      <h1>{t('import.title')}</h1>
      <div id="import">
        {state.kind === 'applied' && (
          <p class="notice" role="status">
            {t('import.applied', { units: number(state.units), people: number(state.people) })}
          </p>
        )}
        {state.kind === 'errors' && (
          <>
            <div class="alert" role="alert">
              <p>{t('import.refused', { count: state.errors.length })}</p>
              <ul id="import-errors">
                {state.errors.map((e) => (
                  <li>
                    {e.row > 0 && <span>{t('import.where', { row: number(e.row) })} </span>}
                    {e.column && <span>{t('import.whereColumn', { column: e.column })} </span>}
                    {e.text}
                  </li>
                ))}
              </ul>
            </div>
          </>
        )}
        {state.kind === 'preview' ? (
          <>
            <p>{t('import.previewIntro')}</p>
            <Changes frame={frame} title={t('import.units')} rows={state.diff.units} />
            <Changes frame={frame} title={t('import.people')} rows={state.diff.people} />
            <p>
              {t('import.untouched', {
                units: number(state.diff.untouched.units),
                people: number(state.diff.untouched.people),
              })}
            </p>
            <form
              method="post"
              action="/directory/import/apply"
              hx-post="/directory/import/apply"
              hx-target="#import"
              hx-select="#import"
              hx-swap="outerHTML"
              hx-disabled-elt="find button"
            >
              <CsrfField session={frame.session} />
              <input type="hidden" name="key" value={state.key} />
              <div class="actions">
                <a href="/directory/import">{t('import.cancel')}</a>
                <button type="submit">{t('import.apply')}</button>
              </div>
            </form>
          </>
        ) : (
          <UploadForm frame={frame} error={state.kind === 'form' ? state.error : undefined} />
        )}
      </div>
    </Layout>
  );
}
