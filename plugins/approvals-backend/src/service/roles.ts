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
 * The service's own view of who acts, checked on top of the permission
 * policy (defence in depth: a policy that allowed too much still cannot make
 * a tenant or CI approve): members of a reviewer group are operators, other
 * users are tenants, service principals (CI) are `ci`.
 */
export class GroupRoleResolver implements RoleResolver {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly reviewerGroups: string[],
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
      this.reviewerGroups.includes(ref.toLocaleLowerCase('en-US')),
    );
    const roles: ApprovalsRole[] = [operator ? 'operator' : 'tenant'];
    return { userRef: info.userEntityRef, roles };
  }
}
