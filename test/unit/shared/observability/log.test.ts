import { jsonLog } from '../../../../shared/observability/log';

describe('jsonLog (the log port)', () => {
  it('writes one JSON object a line, level first (INFO when absent), ERROR to stderr and the rest to stdout', () => {
    // Prepare
    const out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // Act
      jsonLog({ message: 'job finished', checkpoint_id: 'c1', status: 'available' });
      jsonLog({ level: 'WARN', message: 'slow' });
      jsonLog({ level: 'ERROR', message: 'publishing failed', error: 'boom' });
      // Assess
      expect(out.mock.calls.map(([line]) => line)).toEqual([
        '{"level":"INFO","message":"job finished","checkpoint_id":"c1","status":"available"}',
        '{"level":"WARN","message":"slow"}',
      ]);
      expect(err.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([{ level: 'ERROR', message: 'publishing failed', error: 'boom' }]);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
