import { z } from 'zod';

/**
 * The design-document templates of the infrastructure handbook; each template
 * folder under templates/new-runbook/documents/<id>/ holds docs/<id>.md.
 */
export const DOCUMENT_TEMPLATES = [
  { id: 'deployment-architecture', title: 'Deployment architecture' },
  { id: 'environment-configuration', title: 'Environment configuration' },
  { id: 'infrastructure-as-code', title: 'Infrastructure as code' },
  { id: 'monitoring', title: 'Monitoring and observability' },
  { id: 'dr-plan', title: 'Disaster recovery plan' },
  { id: 'ci-cd', title: 'CI/CD pipeline' },
] as const;

export type DocumentTemplateId = (typeof DOCUMENT_TEMPLATES)[number]['id'];

export const documentTemplateIdSchema = z.enum(
  DOCUMENT_TEMPLATES.map(d => d.id) as [
    DocumentTemplateId,
    ...DocumentTemplateId[],
  ],
);
