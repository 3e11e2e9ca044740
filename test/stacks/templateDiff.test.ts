import { diffTemplates, planStacks, type CfnTemplate } from '../../stacks/templateDiff';

const template = (resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>): CfnTemplate => ({ Resources: resources });
const ou = (name: string, parent: unknown) => ({ Type: 'AWS::Organizations::OrganizationalUnit', Properties: { Name: name, ParentId: parent } });

describe('template plan', () => {
  it.each([
    {
      name: 'an added resource, by its own name',
      before: template({}),
      after: template({ OuPci: ou('Pci', { Ref: 'Root' }) }),
      expected: [{ change: 'add', logicalId: 'OuPci', type: 'AWS::Organizations::OrganizationalUnit', label: 'Pci', details: [] }],
    },
    {
      name: 'a removed resource',
      before: template({ OuPci: ou('Pci', { Ref: 'Root' }) }),
      after: template({}),
      expected: [{ change: 'remove', logicalId: 'OuPci', type: 'AWS::Organizations::OrganizationalUnit', label: 'Pci', details: [] }],
    },
    {
      name: 'a changed scalar and a changed reference',
      before: template({ OuPci: ou('Pci', { Ref: 'Root' }) }),
      after: template({ OuPci: ou('Cardholder', { 'Fn::GetAtt': ['OuWorkloads', 'Id'] }) }),
      expected: [{ change: 'change', logicalId: 'OuPci', type: 'AWS::Organizations::OrganizationalUnit', label: 'Cardholder', details: ['Name: Pci -> Cardholder', 'ParentId: Root -> OuWorkloads.Id'] }],
    },
    {
      name: 'account lists, as added and removed ids',
      before: template({ P: { Type: 'Custom::RampartAccountPlacement', Properties: { Placements: [{ OrganizationalUnitId: { 'Fn::GetAtt': ['OuPci', 'Id'] }, AccountIds: '111111111111,222222222222' }] } } }),
      after: template({ P: { Type: 'Custom::RampartAccountPlacement', Properties: { Placements: [{ OrganizationalUnitId: { 'Fn::GetAtt': ['OuPci', 'Id'] }, AccountIds: '222222222222,333333333333' }] } } }),
      expected: [{ change: 'change', logicalId: 'P', type: 'Custom::RampartAccountPlacement', label: 'P', details: ['Placements[OuPci.Id].AccountIds: +333333333333 -111111111111'] }],
    },
    {
      name: 'keyed list items added and removed, not shifted',
      before: template({ S: { Type: 'AWS::SecurityLake::Subscriber', Properties: { Sources: [{ SourceName: 'A' }, { SourceName: 'B' }] } } }),
      after: template({ S: { Type: 'AWS::SecurityLake::Subscriber', Properties: { Sources: [{ SourceName: 'B' }, { SourceName: 'C' }] } } }),
      expected: [{ change: 'change', logicalId: 'S', type: 'AWS::SecurityLake::Subscriber', label: 'S', details: ['Sources[C]: added', 'Sources[A]: removed'] }],
    },
    {
      name: 'a type change, as a replacement',
      before: template({ X: { Type: 'AWS::S3::Bucket' } }),
      after: template({ X: { Type: 'AWS::SNS::Topic' } }),
      expected: [
        { change: 'remove', logicalId: 'X', type: 'AWS::S3::Bucket', label: 'X', details: [] },
        { change: 'add', logicalId: 'X', type: 'AWS::SNS::Topic', label: 'X', details: [] },
      ],
    },
  ])('$name', ({ before, after, expected }) => {
    expect(diffTemplates(before, after)).toEqual(expected);
  });

  it('reports nothing for identical templates, and stacks as new, removed, changed or unchanged', () => {
    const a = template({ OuPci: ou('Pci', { Ref: 'Root' }) });
    expect(diffTemplates(a, structuredClone(a))).toEqual([]);
    const plans = planStacks({ Same: a, Gone: a, Edited: a }, { Same: a, Edited: template({ OuPci: ou('Card', { Ref: 'Root' }) }), Fresh: a });
    expect(plans.map((p) => [p.stack, p.status])).toEqual([['Same', 'unchanged'], ['Edited', 'changed'], ['Fresh', 'new'], ['Gone', 'removed']]);
  });
});
