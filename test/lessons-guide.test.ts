/** Every lesson has one line for the menu and names a panel to look at; the lines say its numbers. */
import { describe, expect, it } from 'vitest';
import { GUIDES } from '../src/lessons/guide';
import { LESSONS } from '../src/lessons/lessons';

describe('lesson guides', () => {
  it('cover exactly the lessons, one line each', () => {
    expect(Object.keys(GUIDES).sort()).toEqual(LESSONS.map((l) => l.id).sort());
    for (const g of Object.values(GUIDES)) {
      expect(g.shows).not.toMatch(/\n/);
      expect(g.shows.length).toBeLessThan(110);
    }
  });

  it("state the lessons' own numbers", () => {
    const config = (id: string) => LESSONS.find((l) => l.id === id)?.config ?? {};
    expect(GUIDES.vanishing.shows).toContain(`ρ = ${config('vanishing').gain}`);
    expect(GUIDES.vanishing.shows).toContain(`${config('vanishing').lag} steps`);
    expect(GUIDES.irnn.shows).toContain(`${config('irnn').length} steps`);
    expect(GUIDES.gated.shows).toContain(`${config('gated').length} blank steps`);
    expect(GUIDES.exploding.shows).toContain(`ρ = ${config('exploding').gain}`);
    expect(GUIDES['selective-copy'].shows).toContain(`${config('selective-copy').length} noise steps`);
    expect(GUIDES['associative-recall'].shows).toContain(`${config('associative-recall').length} key–value pairs`);
    expect(GUIDES['seq2seq-attention'].shows).toContain(`Reversing ${config('seq2seq-attention').length} symbols`);
    expect(GUIDES['long-memory'].shows).toContain(`${config('long-memory').length} blank steps`);
  });
});
