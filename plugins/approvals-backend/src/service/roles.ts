import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Actor, ApprovalsRole } from './actors';

/** Maps request credentials to an {@link Actor}. */
export interface RoleResolver {
  resolve(credentials: BackstageCredentials): Promise<Actor>;
}

/**
 * Users in one of the operator groups are operators, other users are
 * tenants; service principals (CI) are `ci`. A fuller mapping comes with the
 * permission policy module.
 */
export class GroupRoleResolver implements RoleResolver {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly operatorGroups: string[],
  ) {}

  async resolve(credentials: BackstageCredentials): Promise<Actor> {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    if (principal.type === 'service') {
      return { userRef: `service:${principal.subject}`, roles: ['ci'] };
    }
    if (principal.type !== 'user' || !principal.userEntityRef) {
      return { userRef: 'anonymous', roles: [] };
    }
    const info = await this.userInfo.getUserInfo(credentials);
    const operator = info.ownershipEntityRefs.some(ref =>
      this.operatorGroups.includes(ref.toLocaleLowerCase('en-US')),
    );
    const roles: ApprovalsRole[] = [operator ? 'operator' : 'tenant'];
    return { userRef: info.userEntityRef, roles };
  }
}
