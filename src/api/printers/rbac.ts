// RoleBindings and ClusterRoleBindings. Roles and ClusterRoles have no
// printer upstream and get the default columns.
import type { rbacv1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { list, text } from './read.js';

/** Subjects split by kind: user names, group names, and `namespace/name` service accounts. */
function subjects(binding: rbacv1.RoleBinding | rbacv1.ClusterRoleBinding): [users: string, groups: string, serviceAccounts: string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of list(binding.subjects)) {
    if (s?.kind === 'User') users.push(text(s.name));
    else if (s?.kind === 'Group') groups.push(text(s.name));
    else if (s?.kind === 'ServiceAccount') serviceAccounts.push(`${text(s.namespace)}/${text(s.name)}`);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

function bindingPrinter(scope: string) {
  return definePrinter<rbacv1.RoleBinding | rbacv1.ClusterRoleBinding>(
    [
      nameColumn,
      column('Role', 'string', 'The role the subjects are bound to, as kind/name.'),
      ageColumn,
      column('Users', 'string', `Users in the ${scope}`, true),
      column('Groups', 'string', `Groups in the ${scope}`, true),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${scope}`, true),
    ],
    (b, now) => [
      text(b.metadata?.name),
      `${text(b.roleRef?.kind)}/${text(b.roleRef?.name)}`,
      age(b.metadata?.creationTimestamp, now),
      ...subjects(b),
    ],
  );
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
