import { useState, type FormEvent } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { fieldIssues, isApiError } from '../../../lib/api-error.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { useAddMember } from '../api/members.ts';
import { GeneratedPassword } from './generated-password.tsx';

export function AddMemberForm({ projectId }: { projectId: string }) {
  const t = useT();
  const add = useAddMember(projectId);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [createAccount, setCreateAccount] = useState(false);
  // Held only here, never in a cache or store: it is gone once dismissed or the page is left.
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [tried, setTried] = useState('');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = username.trim().toLowerCase();
    if (!name) return;
    setTried(name);
    setAdded(null);
    setSecret(null);
    add.mutate(
      { username: name, role: 'annotator', createAccount, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) },
      {
        onSuccess: (answer) => {
          setAdded(answer.member.user.username);
          if (answer.generatedPassword) setSecret({ username: answer.member.user.username, password: answer.generatedPassword });
          setUsername('');
          setDisplayName('');
          setCreateAccount(false);
        },
      },
    );
  };

  let problem: string | null = null;
  if (add.isError) {
    const error = add.error;
    if (isApiError(error) && error.code === 'NOT_FOUND') problem = t('members.add.notFound', { username: tried });
    else if (isApiError(error) && error.code === 'ALREADY_MEMBER') problem = t('members.add.alreadyMember', { username: tried });
    else problem = errorMessage(error, t);
  }
  const issues = fieldIssues(add.error);

  return (
    <section className="panel" aria-labelledby="add-member-title">
      <h2 id="add-member-title">{t('members.add.title')}</h2>
      {secret ? <GeneratedPassword username={secret.username} password={secret.password} onDismiss={() => setSecret(null)} /> : null}
      {added && !secret ? <Alert tone="success">{t('members.add.added', { username: added })}</Alert> : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label={t('members.add.username')}
          name="username"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={40}
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          error={issues.username}
        />
        <TextField
          label={t('members.add.displayName')}
          hint={t('members.add.displayNameHint')}
          name="displayName"
          autoComplete="off"
          maxLength={100}
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          error={issues.displayName}
        />
        <Checkbox
          label={t('members.add.createAccount')}
          checked={createAccount}
          onChange={(event) => setCreateAccount(event.target.checked)}
        />
        <Button type="submit" variant="primary" busy={add.isPending} disabled={!username.trim()}>
          {add.isPending ? t('members.add.submitting') : t('members.add.submit')}
        </Button>
      </form>
    </section>
  );
}
