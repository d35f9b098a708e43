# Groups: finding, creating, a group's page, its member list.

nav-groups = Groups

groups-title = Groups
groups-intro = Groups bring together members with something in common: a condition, a therapy, a region, or being a relative. Open groups you can join at once; closed groups ask a group moderator first.
groups-new-link = Start a new group
groups-any = Any
groups-search-title = Find groups
groups-q = Words
groups-q-hint = Words from the name or the description of the group.
groups-condition = Condition
groups-therapy = Therapy
groups-region = Region
groups-search-submit = Find groups
groups-results-title = Groups found
groups-none = No group matches. Try fewer criteria.
groups-pages = Pages of groups
groups-first-page = First page
groups-next-page = Next page

groups-visibility-open = Open group
groups-visibility-closed = Closed group
groups-visibility-secret = Secret group
groups-mode-online = meets online
groups-mode-local = meets locally
groups-alias-group = members appear under an alias

groups-fact-kind = Type
groups-fact-role = Only for
groups-fact-region = Region
groups-fact-conditions = Conditions
groups-fact-therapies = Therapies
groups-fact-medications = Medications
groups-fact-members = Members
groups-members-fewer-than = fewer than { $threshold }

groups-membership-title = Your membership
groups-membership-none = You are not a member of this group.
groups-membership-requested = You asked to join. A group moderator will decide.
groups-membership-invited = You are invited to this group.
groups-membership-member = You are a member of this group.
groups-membership-moderator = You are a moderator of this group.
groups-membership-role-restricted = This group is for members of another role.
groups-role-shown = This group is only for members whose role is “{ $role }”, so its members see each other's role: by joining, you show them yours.
groups-role-verified = Only members the association has verified as professionals can join; what a profile says does not count.
groups-my-alias = In this group you appear as “{ $alias }”. Other members are not shown who is behind this alias.
groups-alias-model-title = What an alias protects, and what not
groups-alias-model-protects = Kindred shows the other members, staff included, only your alias here: the member list names only the group's moderators, no number of members is shown, and whoever invited you is not told whether you accepted.
groups-alias-model-not = An alias does not protect you from what you write (your style, details you mention), from when you write (a first post soon after an invitation), from a small group where few could be you, from members or moderators who compare notes, or from anyone with access to the server or its database, which links each alias to its account.

groups-join = Join the group
groups-request = Ask to join
groups-accept = Accept the invitation
groups-leave = Leave the group
groups-withdraw = Withdraw my request
groups-decline-invitation = Decline the invitation

groups-parent = Part of:
groups-in-group-title = In this group
groups-forum-link = The group's forum
groups-members-link = Members of the group
groups-new-subgroup-link = Start a subgroup
groups-subgroups-title = Subgroups
groups-back-to-list = All groups

groups-member-list-members = Every member of the association who sees the group
groups-member-list-group = Only the members of this group
groups-member-list-moderators = Only the group's moderators

groups-new-title = Start a new group
groups-new-intro = You will be the group's first member and its moderator.
groups-new-subgroup = This group will be a subgroup.
groups-none-chosen = None
groups-new-name = Name
groups-new-name-hint = 3 to 80 characters.
groups-new-description = Description
groups-new-description-hint = What the group is about and who it is for.
groups-new-visibility = Who can find and join it
groups-new-visibility-hint = Open: anyone may join. Closed: a moderator approves. Secret: by invitation only, and invisible to everyone else.
groups-new-member-list = Who sees the member list
groups-new-member-list-hint = In an alias group only aliases are shown.
groups-new-mode = Where it meets
groups-new-mode-hint = Online, or in one place.
groups-new-alias-mode = Members appear under an alias
groups-new-alias-mode-hint = Each member gets an alias of this group only. Kindred shows nobody, staff included, who is behind it; the group's page says what an alias does not protect against. A subgroup of an alias group is always one too.
groups-new-anonymous = Anonymous posts are allowed in the group's forum
groups-new-role = Only for members who are
groups-new-role-hint = Leave empty for a group open to every role.
groups-new-region = Region
groups-new-conditions = Conditions
groups-new-therapies = Therapies
groups-new-medications = Medications
groups-new-submit = Create the group

groups-new-problem-name = Please give a name of 3 to 80 characters, without control characters.
groups-new-problem-description = Please keep the description to at most 4000 characters.
groups-new-problem-visibility = Please choose who can find and join the group.
groups-new-problem-member-list = Please choose who sees the member list.
groups-new-problem-mode = Please choose where the group meets.
groups-new-problem-conditions = Please choose conditions from the list (at most 20).
groups-new-problem-therapies = Please choose therapies from the list (at most 20).
groups-new-problem-medications = Please choose medications from the list (at most 20).
groups-new-problem-region = Please choose a region from the list.
groups-new-problem-role-restriction = Please choose a role from the list.

groups-done-created = Your group is created.
groups-done-joined = Welcome to the group.
groups-done-requested = Your request is sent to the group's moderators.
groups-done-left = You left the group.
groups-done-declined = The invitation is declined.
groups-done-invited = The invitation is sent.
groups-done-approved = The request is approved.
groups-done-request-declined = The request is declined.
groups-done-moderator = The member is now a moderator of the group.
groups-done-withdrawn = Your request is withdrawn.

groups-problem-forbidden = Only some members may do this here.
groups-problem-role-restricted = This group is for members of another role.
groups-problem-already-member = Already a member of this group.
groups-problem-already-requested = Your request already waits for a group moderator.
groups-problem-already-invited = This member is invited already.
groups-problem-request-pending = This member has asked to join; please approve the request instead.
groups-problem-not-member = You are not in this group.
groups-problem-not-invited = There is no invitation to answer.
groups-problem-last-moderator = As the last moderator you cannot leave while others remain. Please make someone else a moderator first.
groups-problem-last-alias-moderator = As the last moderator of an alias group you cannot leave, whether or not others remain: anything else would tell you whether an invitation was accepted. Please make someone else a moderator first.
groups-problem-not-found = No such member or request.

groups-members-title = Members of { $group }
groups-members-alias-intro = In this group only the moderators are listed, by their alias: a list of every alias would show who arrived when.
groups-requests-title = Requests to join
groups-requested-at = Asked on { $date }
groups-approve = Approve
groups-decline = Decline
groups-members-list-title = Members
groups-moderator = Moderator
groups-make-moderator = Make moderator
groups-promote-title = Make a member a moderator
groups-promote-alias = Alias
groups-promote-alias-hint = The alias as it appears on the member's posts.
groups-no-members = No members to show.
groups-invite-title = Invite a member
groups-invite-member = Member id
groups-invite-member-hint = The id is at the end of the address of the member's page.
groups-invite-submit = Invite
people-pick-label = Pseudonym or the start of a name in it
people-pick-hint = Then choose from the members found. Only members you may find are listed.
people-pick-find = Find
people-pick-choose = { $count ->
    [one] Member found: choose to invite
   *[other] { $count } members found: choose whom to invite
}
people-pick-none = No member you may find has a name like this. Try the start of another word of the name.
groups-back-to-group = Back to { $group }
