/**
 * The top bar: transport (play/pause, step, reset), the step count, sharing (a link that
 * reproduces the run; a classroom link that hides chosen controls), model files and lecture mode.
 */
import { useRef, useState } from 'react';
import { loadModelText, saveModelJson } from '../store/controller';
import { Transport } from './Transport';
import { addNotice, usePlayground } from '../store/store';
import type { PlaygroundConfig } from '../worker/config';
import { copy, linkFor } from './share';
import { HIDEABLE_KEYS, rowOf } from '../settings/table';
import { ExportPyTorchMenu } from './ExportPyTorch';

/** Model files larger than this are refused before reading (a real one is far smaller). */
const MAX_MODEL_BYTES = 50e6;

export function Header({ onHelp, lecture, onLecture }: { onHelp: () => void; lecture: boolean; onLecture: (v: boolean) => void }) {
  const file = useRef<HTMLInputElement>(null);
  const [classroom, setClassroom] = useState(false);

  const save = async () => {
    let json: string;
    try {
      json = await saveModelJson();
    } catch {
      return; // the worker died or the run changed mid-save: saveModelJson has said so in a notice
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    a.download = `rnn-playground-model-step${usePlayground.getState().step}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const load = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > MAX_MODEL_BYTES) return addNotice('error', 'bad-model-file', `That file is ${Math.round(f.size / 1e6)} MB; a model file is at most ${Math.round(MAX_MODEL_BYTES / 1e6)} MB. Nothing was loaded.`);
    loadModelText(await f.text());
  };

  return (
    <header className="topbar">
      <h1>RNN Playground</h1>
      <Transport />
      <div className="header-actions">
        <button type="button" onClick={() => void copy(linkFor(usePlayground.getState().config, [], usePlayground.getState().lesson), 'Link')} data-testid="copy-link">
          Copy link
        </button>
        <details className="menu" open={classroom} onToggle={(e) => setClassroom((e.target as HTMLDetailsElement).open)}>
          <summary>Classroom link</summary>
          <ClassroomMenu />
        </details>
        <button type="button" onClick={() => void save()} data-testid="save-model">
          Save model
        </button>
        <ExportPyTorchMenu />
        <button type="button" onClick={() => file.current?.click()} data-testid="load-model">
          Load model
        </button>
        <input ref={file} type="file" accept="application/json,.json" hidden data-testid="load-model-input" onChange={(e) => void load(e.target.files?.[0]).finally(() => (e.target.value = ''))} />
        <label className="lecture-toggle" title="Large text for a projector">
          <input type="checkbox" checked={lecture} onChange={(e) => onLecture(e.target.checked)} /> Lecture mode
        </label>
        <button type="button" onClick={onHelp} aria-keyshortcuts="?" title="Keyboard shortcuts and help (?)">
          Help
        </button>
      </div>
    </header>
  );
}

/** The controls a classroom link may hide, named in words: the settings table's hideable rows. */
const HIDEABLE: [keyof PlaygroundConfig, string][] = HIDEABLE_KEYS.map((k) => [k, rowOf(k).name]);

/** Pick the controls students should not touch; the link hides them. */
function ClassroomMenu() {
  const [hide, setHide] = useState<Set<keyof PlaygroundConfig>>(new Set(['backend', 'seed']));
  const toggle = (k: keyof PlaygroundConfig) => setHide((s) => new Set(s.has(k) ? [...s].filter((x) => x !== k) : [...s, k]));
  return (
    <div className="menu-body">
      <p>Hide these controls in the link:</p>
      {HIDEABLE.map(([k, label]) => (
        <label key={k} className="menu-check">
          <input type="checkbox" checked={hide.has(k)} onChange={() => toggle(k)} /> {label}
        </label>
      ))}
      <button type="button" onClick={() => void copy(linkFor(usePlayground.getState().config, [...hide], usePlayground.getState().lesson), 'Classroom link')}>
        Copy classroom link
      </button>
    </div>
  );
}
