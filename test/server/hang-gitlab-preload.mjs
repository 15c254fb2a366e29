// Preloaded (node --import) into a real worker process by the shutdown tests: every GitLab API
// request hangs, so the worker is caught mid-job. nock works per process, hence this file.
// "gitlab request" on stderr tells the test that a job is really running (not just fetched).
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect('127.0.0.1');
const scope = nock(process.env.GITLAB_URL)
  .persist()
  .get(/.*/)
  .delay(600_000)
  .reply(200, {})
  .post(/.*/)
  .delay(600_000)
  .reply(201, {});
scope.on('request', () => process.stderr.write('gitlab request\n'));
