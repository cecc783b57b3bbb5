/**
 * The playground page: one state object mirrored in the URL, two views (descent and train), a
 * single animation loop that redraws whichever view is visible.
 */
import type { App } from './app.js';
import { DescentView } from './descent-view.js';
import { SETTING_KEYS, type SettingKey, type State, sameValue, updateState } from './state.js';
import { TrainView } from './train-view.js';
import { stateFromQuery, stateToQuery } from './url.js';

const messages = document.getElementById('messages')!;

function notify(message: string, kind: 'info' | 'error' = 'info'): void {
  const p = document.createElement('p');
  p.className = kind;
  p.textContent = message;
  if (kind === 'error') p.setAttribute('role', 'alert');
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss');
  close.addEventListener('click', () => p.remove());
  p.append(close);
  messages.append(p);
  if (kind === 'info') setTimeout(() => p.remove(), 6000);
}

const initial = stateFromQuery(location.search || location.hash);
let views: { descent: DescentView; train: TrainView } | null = null;

const app: App = {
  state: initial.state,
  update(patch) {
    const { state, problems } = updateState(app.state, patch);
    problems.forEach((p) => notify(p, 'error'));
    const changed = new Set<SettingKey>(SETTING_KEYS.filter((k) => !sameValue(state[k], app.state[k])));
    (app as { state: State }).state = state;
    history.replaceState(null, '', `${location.pathname}${stateToQuery(state) ? `?${stateToQuery(state)}` : ''}`);
    // Controls always re-sync (an invalid entry snaps back to the checked value).
    views?.descent.onState(state, changed);
    views?.train.onState(state, changed);
    if (changed.has('view')) showView(state.view);
  },
  notify,
};

if (initial.problems.length > 0) notify(`Some settings in the link were fixed: ${initial.problems.join('; ')}`, 'error');

const tabs = { descent: document.getElementById('tab-descent')!, train: document.getElementById('tab-train')! };
const panels = { descent: document.getElementById('view-descent')!, train: document.getElementById('view-train')! };

function showView(view: State['view']): void {
  for (const key of ['descent', 'train'] as const) {
    const active = key === view;
    tabs[key].setAttribute('aria-selected', String(active));
    tabs[key].tabIndex = active ? 0 : -1;
    panels[key].hidden = !active;
  }
}

for (const key of ['descent', 'train'] as const) {
  tabs[key].addEventListener('click', () => app.update({ view: key }));
  tabs[key].addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const next = key === 'descent' ? 'train' : 'descent';
      app.update({ view: next });
      tabs[next].focus();
    }
  });
}

document.getElementById('share')!.addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    notify('Link copied: it reproduces exactly this experiment.');
  } catch {
    notify(`Copy this link: ${location.href}`);
  }
});

views = { descent: new DescentView(panels.descent, app), train: new TrainView(panels.train, app) };
views.descent.onState(app.state, new Set());
views.train.onState(app.state, new Set());
showView(app.state.view);
history.replaceState(null, '', `${location.pathname}${stateToQuery(app.state) ? `?${stateToQuery(app.state)}` : ''}`);

function loop(now: number): void {
  if (app.state.view === 'descent') views!.descent.frame(now);
  else views!.train.frame(now);
  requestAnimationFrame(loop);
}
requestAnimationFrame(loop);
