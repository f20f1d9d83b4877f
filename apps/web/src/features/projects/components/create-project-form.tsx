import type { Project } from '@warrant/contracts';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { TextAreaField } from '../../../components/ui/text-area-field.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { fieldIssues } from '../../../lib/api-error.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useCreateProject } from '../api/projects.ts';

export interface CreateProjectFormProps {
  canCreate: boolean;
  onCreated: (project: Project) => void;
}

export function CreateProjectForm({ canCreate, onCreated }: CreateProjectFormProps) {
  const t = useT();
  const create = useCreateProject();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [annotators, setAnnotators] = useState('2');
  const [guidelines, setGuidelines] = useState('');
  const [nameMissing, setNameMissing] = useState(false);
  useDocumentTitle(t('createProject.title'), t('app.name'));

  if (!canCreate) {
    return (
      <>
        <h1>{t('createProject.title')}</h1>
        <Alert tone="warning">{t('createProject.notAllowed')}</Alert>
      </>
    );
  }

  const issues = fieldIssues(create.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameMissing(true);
      return;
    }
    setNameMissing(false);
    create.mutate(
      { name: name.trim(), description, guidelines, annotatorsPerPassage: Number(annotators) },
      { onSuccess: onCreated },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="create-project-title">
      <Link className="breadcrumb" to={paths.home()}>
        ← {t('project.allProjects')}
      </Link>
      <h1 id="create-project-title">{t('createProject.title')}</h1>
      {create.isError ? <Alert tone="error">{errorMessage(create.error, t)}</Alert> : null}
      <div className="panel">
        <TextField
          label={t('createProject.name')}
          name="name"
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={nameMissing ? t('createProject.nameRequired') : issues.name}
        />
        <TextAreaField
          label={t('createProject.description')}
          name="description"
          rows={3}
          maxLength={5000}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          error={issues.description}
        />
        <TextField
          label={t('createProject.annotatorsPerPassage')}
          hint={t('createProject.annotatorsPerPassageHint')}
          name="annotatorsPerPassage"
          type="number"
          inputMode="numeric"
          min={1}
          max={20}
          step={1}
          required
          value={annotators}
          onChange={(event) => setAnnotators(event.target.value)}
          error={issues.annotatorsPerPassage}
        />
        <TextAreaField
          label={t('createProject.guidelines')}
          hint={t('createProject.guidelinesHint')}
          name="guidelines"
          rows={8}
          value={guidelines}
          onChange={(event) => setGuidelines(event.target.value)}
          error={issues.guidelines}
        />
        <p className="muted">{t('createProject.schemeNote')}</p>
        <div className="actions">
          <Button type="submit" variant="primary" busy={create.isPending}>
            {create.isPending ? t('createProject.submitting') : t('createProject.submit')}
          </Button>
          <Link className="button button--quiet" to={paths.home()}>
            {t('createProject.cancel')}
          </Link>
        </div>
      </div>
    </form>
  );
}
