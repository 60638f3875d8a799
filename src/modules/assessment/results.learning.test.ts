/** The results page's "Learning for your gaps" section: gaps with suggestions, and the rest counted. */
import { describe, expect, it } from 'vitest';
import { resultsLearningSection } from './results.learning.js';

describe('resultsLearningSection', () => {
  it('is left out when there is no recommender', () => {
    expect(resultsLearningSection(undefined)).toBeUndefined();
  });

  it('lists the gaps with suggestions, their reasons in a sentence, and counts the others', () => {
    const section = resultsLearningSection([
      {
        areaCode: '6.3',
        areaLabel: '6.3 Evaluating AI systems',
        items: [
          {
            title: 'A guide',
            href: 'https://example.org/guide',
            provider: 'Example',
            addToPlanHref: '/plan/add-resource?resource=r1',
            reasons: ['Suits level 2, the next level up for you', 'Free'],
          },
        ],
      },
      { areaCode: '6.4', areaLabel: '6.4 Robotics', items: [] },
    ]);
    expect(section).toEqual({
      gaps: [
        {
          areaLabel: '6.3 Evaluating AI systems',
          items: [
            {
              title: 'A guide',
              href: 'https://example.org/guide',
              provider: 'Example',
              addToPlanHref: '/plan/add-resource?resource=r1',
              reasons: ['Suits level 2, the next level up for you', 'Free'],
              reasonsText: 'Suits level 2, the next level up for you. Free',
            },
          ],
        },
      ],
      hasGaps: true,
      gapsWithoutItems: 1,
      href: '/learning',
    });
  });
});
