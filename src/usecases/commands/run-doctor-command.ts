import { formatDoctorMarkdown } from '../../core/branch/format-doctor-report.ts';
import { formatNote } from '../../core/chatops/format-replies.ts';
import { runDoctor } from '../run-doctor.ts';
import type { CommandHandler } from './command-context.ts';

/** `/tollgate doctor`: what the protected branch's protection lacks (read-only from a comment). */
export const runDoctorCommand: CommandHandler<'doctor'> = async ({ deps, request, text, done, refused }) => {
  const { platform } = deps;
  if (!deps.doctor) return refused('the branch doctor is not available on this worker');
  const branch = deps.settings?.protectedBranch ?? request.defaultBranch;
  // Read-only from a comment: fixes need an admin token and `tollgate doctor --apply`.
  const report = await runDoctor(await deps.doctor(), { branch });
  const hint = report.healthy
    ? ''
    : `\n\nTo fix what is missing, an admin runs \`tollgate doctor --platform ${platform.kind} --repo ${platform.project} --branch ${branch} --apply\`.`;
  await platform.reply(request.thread, formatNote(text, `${formatDoctorMarkdown(report)}${hint}`));
  return done(report.healthy ? 'healthy' : 'missing');
};
