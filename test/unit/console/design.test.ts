import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The console's design system (console/src/style.css): one spacing scale, status colours in light and dark. */
const css = readFileSync(path.join(__dirname, '..', '..', '..', 'console', 'src', 'style.css'), 'utf8');

/** The custom properties a block declares (`--name: value;`), by name. */
const declared = (block: string): Map<string, string> => new Map([...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
const light = declared(/:root\s*{([^}]*)}/.exec(css)?.[1] ?? '');
const dark = declared(/@media \(prefers-color-scheme: dark\)\s*{\s*:root\s*{([^}]*)}/.exec(css)?.[1] ?? '');

describe("the console's design system (console/src/style.css)", () => {
  it('spaces everything on one scale: every margin, padding and gap is 0, auto or a --space step', () => {
    // Arrange
    const values = [...css.matchAll(/(?<![\w-])((?:margin|padding|gap|row-gap|column-gap)(?:-[a-z]+)?):\s*([^;]+);/g)].map((m) => ({
      rule: m[1],
      value: m[2].trim(),
    }));
    // Act
    const off = values.filter(
      ({ value }) => !value.split(/\s+/).every((t) => t === '0' || t === 'auto' || (/^var\(--space-\d\)$/.test(t) && light.has(t.slice(4, -1)))),
    );
    // Assert
    expect(values.length).toBeGreaterThan(50);
    expect(off).toEqual([]);
    expect([...light.keys()].filter((k) => k.startsWith('--space-'))).toEqual([
      '--space-1',
      '--space-2',
      '--space-3',
      '--space-4',
      '--space-5',
      '--space-6',
      '--space-7',
      '--space-8',
    ]);
  });

  it('gives every colour, the status colours first, a light and a dark value, and uses no literal colour outside them but shadows', () => {
    // Arrange
    const colours = [...light.keys()].filter((k) => !k.startsWith('--space-'));
    const outside = css
      .replace(/:root\s*{[^}]*}/g, '')
      .split('\n')
      .filter((line) => /#[0-9a-fA-F]{3,8}\b|rgb\(/.test(line) && !/box-shadow|rgb\(0 0 0 \/ 0\.\d+\)/.test(line));
    // Assert
    expect(colours).toEqual(expect.arrayContaining(['--ok', '--failed', '--running', '--other', '--deleted', '--scheduled']));
    expect(colours.filter((k) => !dark.has(k))).toEqual([]);
    expect(colours.filter((k) => dark.get(k) === light.get(k))).toEqual([]);
    expect(outside).toEqual([]);
  });
});
