import { useEffect, useRef, useState } from 'react';
import { addNotice } from '../../store/store';
import { download } from '../exportChart';
import { CLIP_FPS, CLIP_SECONDS, clipFileName, recordLabel, type RecordState } from './clipPlan';
import { recordClip, recordingUnsupported } from './recordClip';
import './record.css';

interface Props {
  /** the panel's id: the file is rnn-playground-<id>.webm */
  id: string;
  title: string;
  /** the panel's content, what the clip shows */
  root: () => HTMLElement | null;
  /** the figure's subtitle at the moment a frame is taken */
  subtitle: () => string;
}

/**
 * The Export menu's "Record 5 s clip (WebM)": while it records, how far it is and a Stop (which
 * saves what is recorded); then the file downloads. Where the browser cannot encode video, the
 * item says so instead of offering a button that would fail.
 */
export function RecordClipItem({ id, title, root, subtitle }: Props) {
  const [state, setState] = useState<RecordState>({ kind: 'idle' });
  const stop = useRef<AbortController | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      // the panel went away (another task, a layout change): end the recording, save nothing
      mounted.current = false;
      stop.current?.abort();
    };
  }, []);

  const unsupported = recordingUnsupported();
  if (unsupported)
    return (
      <span className="record-item record-unsupported" data-testid={`record-${id}`} role="note">
        No clip: {unsupported}.
      </span>
    );

  const record = async () => {
    const el = root();
    const controller = new AbortController();
    stop.current = controller;
    setState({ kind: 'starting' });
    try {
      if (!el) throw new Error('the panel is not on screen, so there is nothing to record');
      const clip = await recordClip({
        title,
        root: el,
        subtitle,
        seconds: CLIP_SECONDS,
        fps: CLIP_FPS,
        stop: controller.signal,
        onProgress: (frames, total) => mounted.current && setState(frames < total ? { kind: 'recording', frames, total, fps: CLIP_FPS } : { kind: 'saving' }),
      });
      if (mounted.current) download(clip.blob, clipFileName(id));
    } catch (e) {
      if (mounted.current) addNotice('warning', 'export', `The clip of “${title}” was not saved: ${e instanceof Error ? e.message : String(e)}.`);
    } finally {
      stop.current = null;
      if (mounted.current) setState({ kind: 'idle' });
    }
  };

  if (state.kind === 'idle')
    return (
      <button type="button" className="record-item" onClick={() => void record()} data-testid={`record-${id}`} title="Records what this panel shows for a few seconds, while it trains, as a video for slides">
        {recordLabel(state)}
      </button>
    );
  return (
    <span className="record-item record-progress" data-testid={`record-${id}`}>
      <span role="status">{recordLabel(state)}</span>
      {state.kind === 'recording' && <progress value={state.frames} max={state.total} aria-label="Recorded" />}
      <button type="button" disabled={state.kind === 'saving'} onClick={() => stop.current?.abort()} data-testid={`record-stop-${id}`}>
        Stop
      </button>
    </span>
  );
}
