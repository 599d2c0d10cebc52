import assert from 'node:assert/strict';
import { decide, isVisibleTo, mayRaiseConcern, mayTake, type CaseAction } from '../../src/domain/access';
import type { Person } from '../../src/domain/roster';

/** A case of Rydskolan, in team west, assigned to sw-1, with st-1 of the joint team's school side taking part. */
const theCase = { schoolId: 'ryd', teamId: 'west', assignedTo: 'sw-1', staff: ['st-1'] };

const actors = {
  schoolEht: { id: 'eht-1', aadObjectId: 'e1', name: 'Eva', roles: ['eht'], schools: ['berga', 'ryd'] },
  otherSchoolEht: { id: 'eht-2', aadObjectId: 'e2', name: 'Erik', roles: ['eht'], schools: ['berga'] },
  assignee: { id: 'sw-1', aadObjectId: 'a1', name: 'Sara', roles: ['socialWorker'], team: 'west' },
  otherSocialWorker: { id: 'sw-2', aadObjectId: 'a2', name: 'Samir', roles: ['socialWorker'], team: 'west' },
  teamLeader: { id: 'gl-w', aadObjectId: 'b1', name: 'Göran', roles: ['groupLeader'], team: 'west' },
  otherTeamLeader: { id: 'gl-e', aadObjectId: 'b2', name: 'Gun', roles: ['groupLeader'], team: 'east' },
  admin: { id: 'adm', aadObjectId: 'c1', name: 'Alva', roles: ['admin'] },
  /** The joint team's school-side member taking part in the case. */
  staff: { id: 'st-1', aadObjectId: 'd1', name: 'Stina', roles: ['schoolStaff'], team: 'west' },
  /** Another school-side member of the team, not taking part. */
  otherStaff: { id: 'st-2', aadObjectId: 'd2', name: 'Sven', roles: ['schoolStaff'], team: 'west' },
} satisfies Record<string, Person>;
type Actor = keyof typeof actors;

/** How each actor is allowed in, when they are. */
const as = { schoolEht: 'eht', assignee: 'assignee', teamLeader: 'groupLeader', staff: 'staff' } as const;

/**
 * Need to know: the school's EHT sees its cases, the assignee their cases, the group leader the
 * team's; only the EHT sees the school's own reference and replies to info requests; only the
 * social work side accepts, asks, answers meetings, records plans and closes; admins get nothing.
 */
const allowed: Record<CaseAction, Actor[]> = {
  view: ['schoolEht', 'assignee', 'teamLeader', 'staff'], // the school-side member taking part sees it; one who does not, not
  viewSchoolRef: ['schoolEht'],
  accept: ['assignee', 'teamLeader'],
  requestInfo: ['assignee', 'teamLeader'],
  replyInfo: ['schoolEht'],
  close: ['assignee', 'teamLeader'],
  bookMeeting: ['schoolEht', 'assignee'], // either side proposes; the other answers
  answerMeeting: ['assignee', 'teamLeader'],
  recordPlan: ['assignee', 'teamLeader'],
  nudge: ['teamLeader'], // the digest's "påminn": the group leader follows the team's load
  recordConsent: ['schoolEht', 'assignee', 'teamLeader'], // the guardians may tell either side
  withdrawConsent: ['schoolEht', 'assignee', 'teamLeader'],
  reassign: ['teamLeader'], // handläggarbyte, and assigning a concern nobody took
  recordInsats: ['assignee', 'teamLeader'],
  recordReport: ['schoolEht', 'assignee', 'teamLeader', 'staff'], // that an orosanmälan was made: anyone working on the case
  setStaff: ['assignee', 'teamLeader'],
};

describe('domain/access', () => {
  describe('decide', () => {
    for (const [action, who] of Object.entries(allowed) as Array<[CaseAction, Actor[]]>) {
      for (const actor of Object.keys(actors) as Actor[]) {
        const expected = who.includes(actor);
        it(`${expected ? 'lets' : 'does not let'} ${actor} ${action}`, () => {
          const decision = decide(actors[actor], theCase, action);
          if (expected) {
            assert.deepEqual(decision, { allowed: true, as: as[actor as keyof typeof as] });
          } else {
            assert.equal(decision.allowed, false);
            assert.ok(!decision.allowed && decision.reason.includes(actors[actor].id) && decision.reason.includes(action), JSON.stringify(decision));
          }
        });
      }
    }

    it('lets a group leader who is also the assignee in as the assignee', () => {
      const leader = { ...actors.teamLeader, id: 'sw-1' };
      assert.deepEqual(decide(leader, theCase, 'close'), { allowed: true, as: 'assignee' });
    });

    it('lets another social worker of the team take a concern nobody has accepted yet, and only then', () => {
      assert.deepEqual(decide(actors.otherSocialWorker, { ...theCase, status: 'new' }, 'accept'), { allowed: true, as: 'assignee' });
      for (const status of ['accepted', 'active', 'closed'] as const) assert.equal(decide(actors.otherSocialWorker, { ...theCase, status }, 'accept').allowed, false, status);
      assert.equal(decide({ ...actors.otherSocialWorker, team: 'east' }, { ...theCase, status: 'new' }, 'accept').allowed, false, 'another team');
      // Taking is not seeing: the content stays with whoever has the case until it is taken.
      assert.equal(decide(actors.otherSocialWorker, { ...theCase, status: 'new' }, 'view').allowed, false);
      assert.equal(mayTake(actors.otherSocialWorker, { ...theCase, status: 'new' }), true);
      assert.equal(mayTake(actors.assignee, { ...theCase, status: 'new' }), false, 'already theirs');
      assert.equal(mayTake(actors.teamLeader, { ...theCase, status: 'new' }), false, 'a group leader accepts on behalf, without taking');
    });

    it('lets a school-side member of the team in only to the cases they take part in, and of their own team', () => {
      assert.equal(decide(actors.staff, { ...theCase, staff: [] }, 'view').allowed, false, 'not taking part');
      assert.equal(decide({ ...actors.staff, team: 'east' }, theCase, 'view').allowed, false, 'another team');
      assert.equal(decide({ ...actors.staff, roles: ['admin'] }, theCase, 'view').allowed, false, 'named in the case but without the role');
      assert.equal(mayTake(actors.staff, { ...theCase, status: 'new' }), false, 'a school-side member does not take concerns');
    });

    it('does not let someone named as assignee without a social-work role act as the assignee', () => {
      assert.equal(decide({ ...actors.admin, id: 'sw-1' }, theCase, 'close').allowed, false);
    });

    it('does not let a person with the school listed but without the eht role in', () => {
      assert.equal(decide({ ...actors.otherSocialWorker, schools: ['ryd'] }, theCase, 'view').allowed, false);
    });
  });

  describe('isVisibleTo', () => {
    for (const actor of Object.keys(actors) as Actor[]) {
      const expected = allowed.view.includes(actor);
      it(`${expected ? 'shows' : 'hides'} the case ${expected ? 'to' : 'from'} ${actor}`, () => assert.equal(isVisibleTo(actors[actor], theCase), expected));
    }
  });

  describe('mayRaiseConcern', () => {
    it("lets EHT raise concerns for their own schools only", () => {
      assert.equal(mayRaiseConcern(actors.schoolEht, 'ryd'), true);
      assert.equal(mayRaiseConcern(actors.otherSchoolEht, 'ryd'), false);
    });
    it('does not let social workers, group leaders or admins raise concerns', () => {
      for (const actor of [actors.assignee, actors.teamLeader, actors.admin]) assert.equal(mayRaiseConcern(actor, 'ryd'), false, actor.id);
    });
  });
});
